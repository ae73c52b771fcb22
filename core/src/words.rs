//! Counts in the researcher's words: "1 coding", "2 codings", "1,234 codings". One helper for
//! every count the app, the CLI and the exports show, so singular, plural and thousands
//! separators are right everywhere.

/// `n` with thousands separators: `1234567` → `"1,234,567"`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// `n` and the noun in the right number: `count(1, "coding", "codings")` → `"1 coding"`,
/// `count(1234, "coding", "codings")` → `"1,234 codings"`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singular_plural_and_separators() {
        assert_eq!(count(0, "coding", "codings"), "0 codings");
        assert_eq!(count(1, "coding", "codings"), "1 coding");
        assert_eq!(count(2, "case", "cases"), "2 cases");
        assert_eq!(count(1234, "coding", "codings"), "1,234 codings");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(100_000), "100,000");
    }
}
