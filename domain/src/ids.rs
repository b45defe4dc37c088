//! Prefixed, time-ordered identifiers (`task_0193…`): the prefix says what an id names, the
//! UUIDv7 body sorts by creation time, which keeps indexes and cursors cheap.

/// A new id such as `req_01939a8c5e0b7d6f9a2b3c4d5e6f7a8b`.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::now_v7().simple())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_carry_their_prefix_and_sort_by_creation() {
        let a = new_id("task");
        let b = new_id("task");
        assert!(a.starts_with("task_") && a.len() == 5 + 32, "{a}");
        assert!(a < b, "{a} then {b}");
    }
}
