//! The programme's clock: the browser's, or the server's (injectable) one.
//! (The catalogue itself is loaded by `super::shared`.)

/// "Now" as Unix seconds: the browser's clock, or the server's (injectable) one.
pub fn now_unix() -> i64 {
    #[cfg(feature = "ssr")]
    {
        crate::state::now()
            .map(|n| n.timestamp())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        (js_sys::Date::now() / 1000.0) as i64
    }
}

/// Today's date where the user is: Paris for the server, the browser's own day otherwise.
pub fn today() -> chrono::NaiveDate {
    #[cfg(feature = "ssr")]
    {
        crate::state::now()
            .map(crate::events::tz::paris_date)
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let d = js_sys::Date::new_0();
        chrono::NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
            .unwrap_or_default()
    }
}
