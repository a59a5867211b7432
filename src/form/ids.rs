//! Vietnamese identifiers and formats: personal ID (CCCD), tax code, phone, email,
//! administrative-unit code. Each check returns `Ok(())` or the reason it failed; the
//! reason names the message variant (`invalid_citizen_id.province`, …).

use crate::spec::form::AdminLevel;

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Checks a 12-digit personal identification number. `this_year` rejects a birth year
/// in the future (digit 4 is century and sex: 0/1 = 1900s male/female, 2/3 = 2000s,
/// 4/5 = 2100s, 6/7 = 2200s, 8/9 = 2300s; digits 5–6 the year within the century).
/// There is no check digit.
///
/// `provinces` are the province codes of the catalogue (sorted); without them (a standalone
/// form) the first three digits are not checked.
pub(crate) fn citizen_id(s: &str, this_year: i32, provinces: Option<&[String]>) -> Result<(), &'static str> {
    if s.len() != 12 || !all_digits(s) {
        return Err("length");
    }
    let province = &s[..3];
    if provinces.is_some_and(|codes| codes.binary_search_by(|code| code.as_str().cmp(province)).is_err()) {
        return Err("province");
    }
    let b = s.as_bytes();
    let century = i32::from(b[3] - b'0') / 2;
    let year = 1900 + century * 100 + i32::from(b[4] - b'0') * 10 + i32::from(b[5] - b'0');
    if year > this_year {
        return Err("birth_year");
    }
    Ok(())
}

/// Weights of the tax-code check digit over digits 1–9.
const TAX_WEIGHTS: [u32; 9] = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/// The check digit of a 10-digit tax code from its first nine digits.
///
/// `10 − (Σ dᵢ·wᵢ mod 11)`. When the remainder is 0 the formula gives 10, which is not
/// a digit; implementations disagree. **Choice:** we take it as `0` (10 mod 10), so that
/// a code the authority may have issued is never refused — the officer still checks
/// the code against the tax authority's record. A remainder of 1 gives 9, as usual.
pub(crate) fn tax_check_digit(first9: &[u8]) -> u8 {
    let sum: u32 = first9.iter().zip(TAX_WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    let check = 10 - sum % 11;
    (check % 10) as u8
}

/// Checks a tax code: 10 digits with a valid check digit, or 13 as `NNNNNNNNNN-NNN`.
pub(crate) fn tax_code(s: &str) -> Result<(), &'static str> {
    let main = match s.len() {
        10 => s,
        14 if s.as_bytes()[10] == b'-' => {
            let branch = &s[11..];
            if !all_digits(branch) {
                return Err("format");
            }
            if branch == "000" {
                return Err("branch");
            }
            &s[..10]
        }
        _ => return Err("format"),
    };
    if !all_digits(main) {
        return Err("format");
    }
    let b = main.as_bytes();
    if tax_check_digit(&b[..9]) != b[9] - b'0' {
        return Err("check_digit");
    }
    Ok(())
}

/// Checks a Vietnamese phone number. Spaces, dots and hyphens between digits are
/// allowed. Mobile: `0` + 9 digits, the first of them 3, 5, 7, 8 or 9 (10 digits);
/// landline since 2017: `02` + 9 digits (11 digits). `+84` may replace the leading 0.
pub(crate) fn phone(s: &str) -> Result<(), &'static str> {
    if s.len() > 24 {
        return Err("phone");
    }
    let (rest, plus) = match s.strip_prefix("+84") {
        Some(r) => (r, true),
        None => (s, false),
    };
    let mut digits = [0u8; 12];
    let mut n = 0usize;
    if plus {
        digits[0] = b'0';
        n = 1;
    }
    for c in rest.bytes() {
        match c {
            b'0'..=b'9' => {
                if n == digits.len() {
                    return Err("phone");
                }
                digits[n] = c;
                n += 1;
            }
            b' ' | b'.' | b'-' => {}
            _ => return Err("phone"),
        }
    }
    let ok = matches!((n, digits[0], digits[1]), (10, b'0', b'3' | b'5' | b'7' | b'8' | b'9') | (11, b'0', b'2'));
    if ok { Ok(()) } else { Err("phone") }
}

/// Checks an email address: ASCII `local@domain`, local part of at most 64 printable
/// characters without spaces, a domain of dot-separated labels (letters, digits,
/// hyphens, not at a label's ends) ending in an alphabetic top-level domain; at most
/// 254 characters. Internationalised domains must be written in their `xn--` form.
pub(crate) fn email(s: &str) -> Result<(), &'static str> {
    if s.len() > 254 || !s.is_ascii() {
        return Err("email");
    }
    let Some((local, domain)) = s.rsplit_once('@') else {
        return Err("email");
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(&b));
    let domain_ok = domain.contains('.')
        && domain.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && domain.rsplit('.').next().is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
    if local_ok && domain_ok { Ok(()) } else { Err("email") }
}

/// Checks an administrative-unit code (Decision 124/2004/QĐ-TTg and its successors):
/// 2 digits for a province, 3 for a district, 5 for a commune.
pub(crate) fn admin_unit(s: &str, level: Option<AdminLevel>) -> Result<(), &'static str> {
    if !all_digits(s) {
        return Err("admin_unit");
    }
    let ok = match level {
        Some(AdminLevel::Province) => s.len() == 2,
        Some(AdminLevel::District) => s.len() == 3,
        Some(AdminLevel::Commune) => s.len() == 5,
        None => matches!(s.len(), 2 | 3 | 5),
    };
    if ok && s.bytes().any(|b| b != b'0') { Ok(()) } else { Err("admin_unit") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citizen_ids() {
        let table: Vec<String> = ["001", "079"].map(String::from).into();
        let citizen_id = |s: &str, year| super::citizen_id(s, year, Some(&table));
        assert_eq!(citizen_id("001090012345", 2026), Ok(()));
        assert_eq!(citizen_id("079305001234", 2026), Ok(()));
        assert_eq!(citizen_id("003090012345", 2026), Err("province"));
        assert_eq!(citizen_id("097090012345", 2026), Err("province"));
        assert_eq!(citizen_id("00109001234", 2026), Err("length"));
        assert_eq!(citizen_id("00109001234a", 2026), Err("length"));
        assert_eq!(citizen_id("001230012345", 2026), Err("birth_year"));
        assert_eq!(citizen_id("001226012345", 2026), Ok(()));
        // A standalone form has no table: any three digits.
        assert_eq!(super::citizen_id("097090012345", 2026, None), Ok(()));
    }

    #[test]
    fn tax_codes() {
        // Real published codes.
        assert_eq!(tax_code("0100109106"), Ok(()));
        assert_eq!(tax_code("0300588569"), Ok(()));
        assert_eq!(tax_code("0100109106-001"), Ok(()));
        assert_eq!(tax_code("0100109107"), Err("check_digit"));
        assert_eq!(tax_code("0100109106-000"), Err("branch"));
        assert_eq!(tax_code("0100109106001"), Err("format"));
        assert_eq!(tax_code("01001091o6"), Err("format"));
        // Remainder 0: the check digit is taken as 0 (documented choice).
        let first9 = b"000000011"; // 5 + 3 = 8 → 10 - 8 = 2
        assert_eq!(tax_check_digit(first9), 2);
        let zero = b"000000110"; // 7·1 + 5·1 = 12 → 12 mod 11 = 1 → 9
        assert_eq!(tax_check_digit(zero), 9);
        let r0 = b"100000000"; // 31 → 31 mod 11 = 9 → 1
        assert_eq!(tax_check_digit(r0), 1);
        let r11 = b"000000000"; // 0 → remainder 0 → 0
        assert_eq!(tax_check_digit(r11), 0);
    }

    #[test]
    fn phones_emails_units() {
        for ok in ["0912345678", "+84912345678", "091 234 5678", "0243 8253 456", "+84 24 3825 3456", "0389.123.456"] {
            assert_eq!(phone(ok), Ok(()), "{ok}");
        }
        for bad in ["912345678", "0112345678", "02438253", "+840912345678", "0912-345-67a", "84912345678"] {
            assert_eq!(phone(bad), Err("phone"), "{bad}");
        }
        for ok in ["an.nguyen@example.vn", "x+tag@mail.gov.vn", "a@b.co"] {
            assert_eq!(email(ok), Ok(()), "{ok}");
        }
        for bad in ["an", "a@b", "a@@b.vn", "@b.vn", "a@-b.vn", "a b@c.vn", "nguyễn@x.vn", "a@b.c1", "a..b@c.vn"] {
            assert_eq!(email(bad), Err("email"), "{bad}");
        }
        assert_eq!(admin_unit("01", None), Ok(()));
        assert_eq!(admin_unit("00004", Some(AdminLevel::Commune)), Ok(()));
        assert_eq!(admin_unit("0004", None), Err("admin_unit"));
        assert_eq!(admin_unit("01", Some(AdminLevel::Commune)), Err("admin_unit"));
        assert_eq!(admin_unit("00", None), Err("admin_unit"));
    }
}
