-- wrk script: POST /v1/tasks with the seed's example body. KEY and START come from the
-- environment (scripts/bench.sh sets them).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEY")
wrk.body = string.format([[{"task_type":"PRODUCT_PHOTO_ECOMM","title":"DEKE Spring SKU shoot — 10 products",
"location":{"mode":"onsite","address":"12 Hess St N, Hamilton ON"},
"schedule":{"start_at":"%s","duration_hours":3},
"budget":{"currency":"CAD","pricing_model":"fixed","max_total":300},
"deliverables":[{"kind":"photo","count":30,"format":"jpeg"}],
"task_spec":{"product_count":10,"background":"white","angles":["front","back","detail"]}}]], os.getenv("START"))
