//! The rejections the runtime returns, with their codes and messages in vi and en.

use super::Rejection;

use crate::calendar::CalendarError;
use crate::diagnostic::Code;

pub(super) fn calendar_error(e: CalendarError) -> Rejection {
    Rejection { code: e.code(), field: "at".into(), message: e.message().clone(), problems: Vec::new() }
}

pub(super) fn non_empty(value: &str, field: &str) -> Result<(), Rejection> {
    if value.trim().is_empty() || value.len() > 256 {
        return Err(Rejection::new(
            Code::InvalidCommand,
            field,
            format!("`{field}` phải có từ 1 đến 256 byte"),
            format!("`{field}` must be 1 to 256 bytes"),
        ));
    }
    Ok(())
}

pub(super) fn closed() -> Rejection {
    Rejection::new(Code::DossierClosed, "type", "Hồ sơ đã kết thúc", "the dossier is closed")
}

pub(super) fn unknown_action(action: &str) -> Rejection {
    Rejection::new(
        Code::UnknownAction,
        "action",
        format!("Không bước nào đang xử lý có thao tác `{action}`"),
        format!("no active step offers action `{action}`"),
    )
}

pub(super) fn history_error(seq: u64, vi: &str, en: &str) -> Rejection {
    Rejection::new(Code::InvalidHistory, "events", format!("Sự kiện {seq}: {vi}"), format!("event {seq}: {en}"))
}
