//! National dossier status codes, the same across every vendor's portal.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::Message;

/// A national dossier status (*trạng thái hồ sơ*), reported to the national portal.
///
/// Serialized as its number (`1`–`10`).
///
/// ```
/// use motcua::NationalStatus;
///
/// let s = NationalStatus::from_code(5).unwrap();
/// assert_eq!(s, NationalStatus::SupplementRequested);
/// assert_eq!(s.label().vi, "Yêu cầu bổ sung giấy tờ");
/// assert_eq!(serde_json::to_string(&s).unwrap(), "5");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(into = "u8", try_from = "u8")]
#[schemars(with = "u8")]
pub enum NationalStatus {
    /// 1 — submitted, not yet received (*mới đăng ký*).
    New = 1,
    /// 2 — received (*được tiếp nhận*).
    Received = 2,
    /// 3 — not received (*không được tiếp nhận*).
    NotReceived = 3,
    /// 4 — being processed (*đang xử lý*).
    Processing = 4,
    /// 5 — supplement requested (*yêu cầu bổ sung giấy tờ*).
    SupplementRequested = 5,
    /// 6 — financial obligation requested (*yêu cầu thực hiện nghĩa vụ tài chính*).
    FinancialObligation = 6,
    /// 7 — the applicant asks to withdraw (*công dân yêu cầu rút hồ sơ*).
    WithdrawalRequested = 7,
    /// 8 — processing stopped (*dừng xử lý*).
    Stopped = 8,
    /// 9 — processing finished (*đã xử lý xong*).
    Finished = 9,
    /// 10 — result returned (*đã trả kết quả*).
    ResultReturned = 10,
}

impl NationalStatus {
    /// Every status, in code order.
    ///
    /// ```
    /// use motcua::NationalStatus;
    ///
    /// assert_eq!(NationalStatus::ALL.len(), 10);
    /// assert!(NationalStatus::ALL.iter().enumerate().all(|(i, s)| usize::from(s.code()) == i + 1));
    /// ```
    pub const ALL: [NationalStatus; 10] = [
        NationalStatus::New,
        NationalStatus::Received,
        NationalStatus::NotReceived,
        NationalStatus::Processing,
        NationalStatus::SupplementRequested,
        NationalStatus::FinancialObligation,
        NationalStatus::WithdrawalRequested,
        NationalStatus::Stopped,
        NationalStatus::Finished,
        NationalStatus::ResultReturned,
    ];

    /// The national code, 1–10.
    ///
    /// ```
    /// use motcua::NationalStatus;
    ///
    /// assert_eq!(NationalStatus::New.code(), 1);
    /// assert_eq!(NationalStatus::ResultReturned.code(), 10);
    /// ```
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The status with this code.
    ///
    /// ```
    /// use motcua::NationalStatus;
    ///
    /// assert_eq!(NationalStatus::from_code(9), Some(NationalStatus::Finished));
    /// assert_eq!(NationalStatus::from_code(0), None);
    /// assert_eq!(NationalStatus::from_code(11), None);
    /// ```
    pub fn from_code(code: u8) -> Option<NationalStatus> {
        NationalStatus::ALL.get(usize::from(code).checked_sub(1)?).copied()
    }

    /// Whether a step may hold this status while the dossier waits in it
    /// (1, 2, 4, 5, 6 and 9; the others are reached through outcomes or withdrawal).
    ///
    /// ```
    /// use motcua::NationalStatus;
    ///
    /// assert!(NationalStatus::Processing.allowed_for_step());
    /// assert!(!NationalStatus::ResultReturned.allowed_for_step()); // an outcome's
    /// assert!(!NationalStatus::WithdrawalRequested.allowed_for_step());
    /// ```
    pub fn allowed_for_step(self) -> bool {
        matches!(
            self,
            NationalStatus::New
                | NationalStatus::Received
                | NationalStatus::Processing
                | NationalStatus::SupplementRequested
                | NationalStatus::FinancialObligation
                | NationalStatus::Finished
        )
    }

    /// The official label.
    ///
    /// ```
    /// use motcua::NationalStatus;
    ///
    /// let label = NationalStatus::NotReceived.label();
    /// assert_eq!(label.vi, "Không được tiếp nhận");
    /// assert_eq!(label.get("en"), "Not received");
    /// ```
    pub fn label(self) -> Message {
        let (vi, en) = match self {
            NationalStatus::New => ("Mới đăng ký", "New"),
            NationalStatus::Received => ("Được tiếp nhận", "Received"),
            NationalStatus::NotReceived => ("Không được tiếp nhận", "Not received"),
            NationalStatus::Processing => ("Đang xử lý", "Processing"),
            NationalStatus::SupplementRequested => ("Yêu cầu bổ sung giấy tờ", "Supplement requested"),
            NationalStatus::FinancialObligation => {
                ("Yêu cầu thực hiện nghĩa vụ tài chính", "Financial obligation requested")
            }
            NationalStatus::WithdrawalRequested => ("Công dân yêu cầu rút hồ sơ", "Withdrawal requested"),
            NationalStatus::Stopped => ("Dừng xử lý", "Processing stopped"),
            NationalStatus::Finished => ("Đã xử lý xong", "Processing finished"),
            NationalStatus::ResultReturned => ("Đã trả kết quả", "Result returned"),
        };
        Message::new(vi, en)
    }
}

impl From<NationalStatus> for u8 {
    fn from(s: NationalStatus) -> u8 {
        s.code()
    }
}

impl TryFrom<u8> for NationalStatus {
    type Error = String;
    fn try_from(code: u8) -> Result<Self, String> {
        NationalStatus::from_code(code).ok_or_else(|| format!("national status codes are 1 to 10, not {code}"))
    }
}

impl fmt::Display for NationalStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.code(), self.label().en)
    }
}
