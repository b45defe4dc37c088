//! Test-only fault points: a debug build started with `HD_FAULT_POINT=<name>` kills itself
//! with SIGKILL when it reaches the point of that name, so a test can check what a crash at
//! exactly that moment leaves behind. Release builds compile the points to nothing.

#[cfg(debug_assertions)]
pub fn point(name: &str) {
    static ARMED: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let armed = ARMED.get_or_init(|| std::env::var("HD_FAULT_POINT").ok().filter(|v| !v.is_empty()));
    if armed.as_deref() == Some(name) {
        tracing::error!(point = name, "fault point reached: killing this process");
        let pid = std::process::id().to_string();
        // SIGKILL, as an OOM killer or a pulled plug would: no destructors, no flushes.
        let _ = std::process::Command::new("kill").args(["-KILL", &pid]).status();
        std::process::abort();
    }
}

#[cfg(not(debug_assertions))]
pub fn point(_name: &str) {}
