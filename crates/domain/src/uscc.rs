//! 统一社会信用代码 (unified social credit code, USCC), GB 32100-2015.
//!
//! Eighteen characters from a 31-character alphabet (digits and capital letters without
//! I, O, S, V, Z); the last one is a check character over the first seventeen.

use thiserror::Error;

/// The code's alphabet, in value order: a character's value is its index.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weight of each of the first 17 positions: 3^i mod 31.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// Why a string is not a valid USCC.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UsccError {
    #[error("must be 18 characters, found {0}")]
    Length(usize),
    #[error("character {position} ({found:?}) is not allowed (digits and capitals except I, O, S, V, Z)")]
    Character { position: usize, found: char },
    #[error("check character is {found}, expected {expected}")]
    CheckCharacter { found: char, expected: char },
}

fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|v| v as u32)
}

/// The check character for the first 17 characters of a code.
///
/// Returns `None` when `body` is not 17 characters of the alphabet.
pub fn check_character(body: &str) -> Option<char> {
    let bytes = body.as_bytes();
    if bytes.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (&c, w) in bytes.iter().zip(WEIGHTS) {
        sum += value(c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    Some(ALPHABET[check as usize] as char)
}

/// Checks length, alphabet and check character of a USCC.
pub fn validate(code: &str) -> Result<(), UsccError> {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err(UsccError::Length(chars.len()));
    }
    if let Some((i, &c)) = chars.iter().enumerate().find(|&(_, &c)| !c.is_ascii() || value(c as u8).is_none())
    {
        return Err(UsccError::Character { position: i + 1, found: c });
    }
    let expected = check_character(&code[..17]).expect("17 characters of the alphabet");
    let found = chars[17];
    if found != expected {
        return Err(UsccError::CheckCharacter { found, expected });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_codes_are_valid() {
        // Codes printed on well-known companies' business licences.
        for code in ["914403001922038216", "91440300708461136T", "91330100799655058B"] {
            assert_eq!(validate(code), Ok(()), "{code}");
        }
    }

    #[test]
    fn wrong_check_character_is_named() {
        assert_eq!(
            validate("91350100M000100Y44"),
            Err(UsccError::CheckCharacter { found: '4', expected: '3' })
        );
    }

    #[test]
    fn length_and_alphabet_are_checked() {
        assert_eq!(validate("9135"), Err(UsccError::Length(4)));
        assert_eq!(validate("91350100M0001O0Y43"), Err(UsccError::Character { position: 14, found: 'O' }));
        assert_eq!(validate("9135010０M000100Y43"), Err(UsccError::Character { position: 8, found: '０' }));
    }

    proptest! {
        #[test]
        fn completed_codes_validate_and_any_single_change_is_caught(
            body in proptest::collection::vec(0usize..31, 17),
            pos in 0usize..18,
            delta in 1usize..31,
        ) {
            let body: String = body.iter().map(|&i| ALPHABET[i] as char).collect();
            let code = format!("{body}{}", check_character(&body).unwrap());
            prop_assert_eq!(validate(&code), Ok(()));
            // A check over a prime modulus catches every single-character substitution.
            let mut bytes = code.into_bytes();
            let old = value(bytes[pos]).unwrap() as usize;
            bytes[pos] = ALPHABET[(old + delta) % 31];
            prop_assert!(validate(std::str::from_utf8(&bytes).unwrap()).is_err());
        }
    }
}
