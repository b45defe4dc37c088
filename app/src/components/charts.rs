//! Charts drawn on the server as SVG with plotters, so that they read without the wasm.

use domain::Error;
use domain::dashboard::MoneyPage;

/// For each currency of the month: the card's net charge so far, day by day, as an SVG line.
pub fn spend_charts(page: &MoneyPage) -> Result<Vec<(String, String)>, Error> {
    use chrono::Datelike;
    let (start, end) = domain::dashboard::parse_month(&page.month)?;
    let days = u32::try_from((end - start).num_days()).unwrap_or(31);
    let today = domain::time::now();
    // The current month's line stops today; a past month's runs to its end.
    let last = if today < end { today.day().min(days) } else { days };
    let mut currencies: Vec<&str> = page.spend.iter().map(|d| d.currency.as_str()).collect();
    currencies.dedup();
    currencies
        .into_iter()
        .map(|currency| {
            let mut total = 0i64;
            let points: Vec<(u32, f64)> = (1..=last)
                .map(|day| {
                    total += page
                        .spend
                        .iter()
                        .filter(|d| d.currency == currency && d.day.day() == day)
                        .map(|d| d.net_cents)
                        .sum::<i64>();
                    (day, total as f64 / 100.0)
                })
                .collect();
            let svg = draw(&points, days, currency).map_err(|e| Error::internal(format!("the spend chart: {e}")))?;
            Ok((currency.to_owned(), svg))
        })
        .collect()
}

fn draw(points: &[(u32, f64)], days: u32, currency: &str) -> Result<String, Box<dyn std::error::Error>> {
    use plotters::prelude::*;
    let ink = RGBColor(51, 65, 85);
    let line = RGBColor(79, 70, 229);
    let top = points.iter().map(|p| p.1).fold(0.0, f64::max).max(1.0) * 1.15;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 260)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(64)
            .build_cartesian_2d(1u32..days, 0f64..top)?;
        let label = ("sans-serif", 13).into_font().color(&ink);
        chart
            .configure_mesh()
            .light_line_style(RGBColor(241, 245, 249))
            .bold_line_style(RGBColor(226, 232, 240))
            .axis_style(ink)
            .label_style(label)
            .x_desc("Day of the month (UTC)")
            .y_desc(format!("Net charged, {currency}"))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .draw()?;
        chart.draw_series(LineSeries::new(points.iter().copied(), line.stroke_width(2)))?;
        chart.draw_series(points.iter().map(|p| Circle::new(*p, 3, line.filled())))?;
        root.present()?;
    }
    Ok(svg)
}
