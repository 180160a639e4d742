//! The minimum strength of a staff password, after NIST SP 800-63B §5.1.1: length rather than
//! composition rules, and a refusal of passwords attackers try first — very common passwords
//! (English and Vietnamese), the account's own username, one character repeated, a keyboard or
//! digit run. A long passphrase ("ba con mèo trên mái nhà") passes; "Password123456" does not.

use crate::FieldError;

/// Shortest password accepted; twelve characters is what a passphrase of three words reaches.
pub const MIN_CHARS: usize = 12;
/// Longest accepted: argon2 hashes anything, but a bound keeps a request cheap.
pub const MAX_CHARS: usize = 128;

/// Words and stems of the most used passwords (lists of leaked passwords, and the Vietnamese
/// ones: "matkhau", "anhyeuem", …). A password is refused when, with digits, spaces and
/// punctuation taken out, it is one of these or one of these repeated.
const COMMON: &[&str] = &[
    "password",
    "passw0rd",
    "pass",
    "admin",
    "administrator",
    "qwerty",
    "qwertyuiop",
    "asdfgh",
    "asdfghjkl",
    "zxcvbnm",
    "abc",
    "abcd",
    "abcdef",
    "abcdefgh",
    "iloveyou",
    "letmein",
    "welcome",
    "monkey",
    "dragon",
    "football",
    "baseball",
    "sunshine",
    "princess",
    "master",
    "shadow",
    "superman",
    "batman",
    "trustno",
    "changeme",
    "secret",
    "login",
    "user",
    "root",
    "test",
    "guest",
    "default",
    "hello",
    "freedom",
    "whatever",
    "qazwsx",
    "starwars",
    "computer",
    "internet",
    "matkhau",
    "matkhaumoi",
    "anhyeuem",
    "emyeuanh",
    "yeuem",
    "iloveu",
    "vietnam",
    "hanoi",
    "saigon",
    "hochiminh",
    "phongdich",
    "phongchongdich",
    "covid",
    "corona",
    "yte",
    "boyte",
    "soyte",
    "canbo",
    "quantri",
    "quantrivien",
    "taikhoan",
    "xinchao",
    "abc",
    "aaa",
];

/// Checks a new staff password for `username`; `field` names the input in the error.
pub fn check(field: &str, password: &str, username: &str) -> Result<(), FieldError> {
    let chars = password.chars().count();
    let weak =
        |code: &'static str, vi: String, en: String| Err(FieldError::new(field, code, vi, en));
    if chars < MIN_CHARS {
        return weak(
            "password_weak",
            format!("Mật khẩu cần ít nhất {MIN_CHARS} ký tự; một cụm vài từ dễ nhớ là tốt nhất"),
            format!(
                "Passwords need at least {MIN_CHARS} characters; a phrase of a few words is best"
            ),
        );
    }
    if chars > MAX_CHARS {
        return weak(
            "password_weak",
            format!("Mật khẩu dài tối đa {MAX_CHARS} ký tự"),
            format!("Passwords have at most {MAX_CHARS} characters"),
        );
    }
    let lower = password.to_lowercase();
    let user = username.trim().to_lowercase();
    if user.len() >= 3 && (lower.contains(&user) || letters(&lower) == letters(&user)) {
        return weak(
            "password_contains_username",
            "Mật khẩu không được chứa tên đăng nhập".into(),
            "The password must not contain the username".into(),
        );
    }
    if is_common(&lower) {
        return weak(
            "password_common",
            "Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn một cụm từ riêng của bạn".into(),
            "This password is too common and easily guessed; choose a phrase of your own".into(),
        );
    }
    Ok(())
}

/// Only the letters, folded to lower case (digits and punctuation are the usual padding).
fn letters(s: &str) -> String {
    s.chars().filter(|c| c.is_alphabetic()).collect()
}

fn is_common(lower: &str) -> bool {
    let distinct: std::collections::BTreeSet<char> = lower.chars().collect();
    if distinct.len() < 5 || is_run(lower) {
        return true;
    }
    let core = letters(lower);
    if core.is_empty() {
        // Only digits and symbols: a date, a phone number or a run — all guessable.
        return true;
    }
    COMMON.iter().any(|w| repeats_of(&core, w))
}

/// True when `s` is `word` written one or more times ("adminadmin").
fn repeats_of(s: &str, word: &str) -> bool {
    !word.is_empty() && s.len().is_multiple_of(word.len()) && s == word.repeat(s.len() / word.len())
}

/// A run of consecutive characters (`123456789012`, `abcdefghijkl`) with nothing else.
fn is_run(s: &str) -> bool {
    let b: Vec<u32> = s.chars().map(u32::from).collect();
    b.windows(2)
        .all(|w| w[1] == w[0] + 1 || (w[0] == u32::from('9') && w[1] == u32::from('0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(p: &str) -> Option<&'static str> {
        check("password", p, "yte.bacha").err().map(|e| e.code)
    }

    #[test]
    fn long_passphrases_pass() {
        assert_eq!(code("ba con mèo trên mái nhà"), None);
        assert_eq!(code("mat-khau-thu-nghiem"), None);
        assert_eq!(code("Xk7#pQ2mLw9z"), None);
    }

    #[test]
    fn short_common_and_username_passwords_are_refused() {
        assert_eq!(code("ngắn quá"), Some("password_weak"));
        assert_eq!(code(&"x".repeat(129)), Some("password_weak"));
        assert_eq!(code("Password123456"), Some("password_common"));
        assert_eq!(code("matkhau@2024!!"), Some("password_common"));
        assert_eq!(code("adminadminadmin"), Some("password_common"));
        assert_eq!(code("123456789012"), Some("password_common"));
        assert_eq!(code("aaaaaaaaaaaaaa"), Some("password_common"));
        assert_eq!(code("1234567890123"), Some("password_common"));
        assert_eq!(code("yte.bacha-2024"), Some("password_contains_username"));
        assert_eq!(code("YTEBACHA123456"), Some("password_contains_username"));
    }
}
