//! Human labels written by spec authors: Vietnamese required, English optional.

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// A label in the spec: `{vi: "Tiếp nhận hồ sơ", en: "Receive the dossier"}`.
///
/// Vietnamese is required; English is optional and falls back to Vietnamese.
///
/// ```
/// let t = motcua::Text::new("Tiếp nhận", Some("Receive"));
/// assert_eq!(t.get("en"), "Receive");
/// let only_vi = motcua::Text::new("Tiếp nhận", None);
/// assert_eq!(only_vi.get("en"), "Tiếp nhận");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Vietnamese (required).
    pub vi: String,
    /// English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Text {
    /// Builds a label.
    ///
    /// ```
    /// use motcua::Text;
    ///
    /// let t = Text::new("Tiếp nhận hồ sơ", Some("Receive the dossier"));
    /// assert_eq!(t.vi, "Tiếp nhận hồ sơ");
    /// assert_eq!(t.en.as_deref(), Some("Receive the dossier"));
    /// ```
    pub fn new(vi: impl Into<String>, en: Option<&str>) -> Self {
        Text { vi: vi.into(), en: en.map(str::to_owned) }
    }

    /// The label in `lang` (`"vi"` or `"en"`), falling back to Vietnamese.
    ///
    /// ```
    /// use motcua::Text;
    ///
    /// let t = Text::new("Trả kết quả", Some("Return the result"));
    /// assert_eq!(t.get("vi"), "Trả kết quả");
    /// assert_eq!(t.get("en"), "Return the result");
    /// assert_eq!(Text::new("Trả kết quả", None).get("en"), "Trả kết quả");
    /// ```
    pub fn get(&self, lang: &str) -> &str {
        match (lang, &self.en) {
            ("en", Some(en)) => en,
            _ => &self.vi,
        }
    }
}

/// `s` in Unicode NFC, borrowed when it already is.
pub(crate) fn nfc(s: &str) -> Cow<'_, str> {
    if is_nfc_quick(s.chars()) == IsNormalized::Yes { Cow::Borrowed(s) } else { Cow::Owned(s.nfc().collect()) }
}
