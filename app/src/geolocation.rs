//! The device's position, from the browser's geolocation (in the wasm only: the server has no
//! position to give, and a page without the wasm asks for it to be typed).

/// Why no position came, in words for the person holding the phone.
pub fn refusal(code: u16) -> &'static str {
    match code {
        1 => "Location is blocked for this site. Allow it in your browser's settings, or type your position below.",
        2 => "Your phone could not find its position. Step outside or near a window, then try again.",
        3 => "Finding your position took too long. Try again, or type it below.",
        _ => "Your position could not be read. Try again, or type it below.",
    }
}

/// Asks the browser for a fresh, precise position; `done` gets it or why there is none.
#[cfg(feature = "hydrate")]
pub fn locate(done: impl FnOnce(Result<crate::components::maps::Fix, String>) + 'static) {
    use crate::components::maps::Fix;
    use domain::talent::GeoPoint;
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::{JsCast, closure::Closure};

    let Some(geolocation) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        done(Err("This browser cannot tell its position. Type it below.".into()));
        return;
    };
    // Called at most once, by whichever of the two callbacks the browser calls.
    type Done = Rc<RefCell<Option<Box<dyn FnOnce(Result<Fix, String>)>>>>;
    let done: Done = Rc::new(RefCell::new(Some(Box::new(done))));
    let finish = |done: &Done, result| {
        if let Some(f) = done.borrow_mut().take() {
            f(result);
        }
    };
    let on_fix = done.clone();
    // `Position` and `PositionError` are the stable bindings of GeolocationPosition and its error.
    let found = Closure::once_into_js(move |p: web_sys::Position| {
        let c = p.coords();
        let fix = Fix { at: GeoPoint { lat: c.latitude(), lng: c.longitude() }, accuracy_m: c.accuracy() };
        finish(&on_fix, Ok(fix));
    });
    let on_error = done.clone();
    let failed = Closure::once_into_js(move |e: web_sys::PositionError| {
        finish(&on_error, Err(refusal(e.code()).to_owned()));
    });
    let options = web_sys::PositionOptions::new();
    options.set_enable_high_accuracy(true);
    options.set_maximum_age(0);
    options.set_timeout(30_000);
    if geolocation
        .get_current_position_with_error_callback_and_options(
            found.unchecked_ref(),
            Some(failed.unchecked_ref()),
            &options,
        )
        .is_err()
    {
        finish(&done, Err(refusal(0).to_owned()));
    }
}

/// Puts a found position into a form's fields (by name), which are what the form posts.
#[cfg(feature = "hydrate")]
pub fn fill(form_id: &str, fields: &[(&str, f64)]) {
    use leptos::prelude::document;
    use wasm_bindgen::JsCast;
    for (name, value) in fields {
        let input = document()
            .query_selector(&format!("#{form_id} input[name={name}]"))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(input) = input {
            input.set_value(&value.to_string());
        }
    }
}
