//! `motcua_dossier`: one application running through a procedure.

use std::ffi::c_char;

use engine::{Applied, Command, Dossier, Event, Submission};

use crate::base::{Opaque, Out, borrow, borrow_mut, free_handle, guard, guard_value, into_handle, json, text, to_json};
use crate::error::Failure;
use crate::{instant, motcua_error, motcua_procedure, motcua_result, motcua_string, new_string};

/// A dossier (*hồ sơ*): its state and its event history.
///
/// Thread safety: a dossier is mutable state. It may move from one thread to another, but
/// must not be used by two threads at the same time (lock it, or keep it on one thread).
/// The usual host keeps no dossier in memory between requests: it stores the snapshot
/// (`motcua_dossier_snapshot`) or the events and loads them again
/// (`motcua_dossier_from_snapshot`, `motcua_dossier_replay`).
pub struct motcua_dossier {
    _private: [u8; 0],
}

impl Opaque for motcua_dossier {
    type Inner = Dossier;
    const MAGIC: u64 = 0x6d6f_7463_7561_0044; // "motcua\0D"
}

/// Opens a dossier from a submission: starts the legal clock and sets the appointment.
///
/// `submission` is JSON: `{"dossier_id", "command_id", "at" (RFC 3339), "actor": {"role",
/// "agency"?, "unit"?, "user"?}, "channel" ("online", "in_person", "postal"),
/// "jurisdiction", "data" (the form), "documents" ([...]), "allow_incomplete"?}`.
/// On success `*out` is the new dossier and `*applied` the JSON
/// `{"events": [...], "effects": [...], "duplicate": false, "problems"?: [...]}`: store the
/// events, carry out the effects. A refused submission is `MOTCUA_RESULT_REJECTED` (code
/// `invalid_form` with every problem in the error's JSON, `forbidden`, `invalid_command`).
///
/// # Safety
/// `procedure` is NULL or a live procedure; `submission` points to `submission_len`
/// readable bytes; `out` and `applied` are valid for writing a pointer; `err` is NULL or
/// valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_dossier_submit(
    procedure: *const motcua_procedure,
    submission: *const c_char,
    submission_len: usize,
    out: *mut *mut motcua_dossier,
    applied: *mut *mut motcua_string,
    err: *mut *mut motcua_error,
) -> motcua_result {
    // SAFETY: the contract above, passed on to each helper.
    unsafe {
        guard(err, || {
            let out = Out::new(out, "out")?;
            let applied_out = Out::new(applied, "applied")?;
            let compiled = borrow(procedure, "procedure")?;
            let submission: Submission = json(text(submission, submission_len, "submission")?, "submission")?;
            let (dossier, applied) =
                Dossier::submit(&compiled.procedure, submission).map_err(|r| Failure::rejected(&r))?;
            let applied = to_json(&applied)?;
            out.set(into_handle::<motcua_dossier>(dossier));
            applied_out.set(new_string(applied));
            Ok(())
        })
    }
}

/// Applies a command: checks it completely, then records one event. On success `*applied`
/// is the JSON `{"events", "effects", "duplicate"}` (a command id already applied returns
/// the original events and effects with `"duplicate": true`).
///
/// `command` is JSON, flat with its `type`: `{"id": "c-42", "at":
/// "2026-03-02T10:00:00+07:00", "actor": {"role": "one_stop_officer", "agency":
/// "department_finance"}, "expected_version": 1, "type": "act", "action": "accept"}`;
/// other types: `request_withdrawal` (`reason`?), `confirm_withdrawal`,
/// `decline_withdrawal` (`reason`?), `extend` (`appointment`, `reason`).
///
/// A refused command returns `MOTCUA_RESULT_REJECTED` and leaves the dossier exactly as it
/// was; the error's code says why (`forbidden`, `unknown_action`, `version_conflict`,
/// `dossier_closed`, `withdrawal_not_allowed`, `invalid_form`, `guard_failed`, ...).
///
/// # Safety
/// `dossier` is NULL or a live dossier used by no other thread during the call;
/// `procedure` is NULL or a live procedure; `command` points to `command_len` readable
/// bytes; `applied` is valid for writing a pointer; `err` is NULL or valid for writing a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_dossier_apply(
    dossier: *mut motcua_dossier,
    procedure: *const motcua_procedure,
    command: *const c_char,
    command_len: usize,
    applied: *mut *mut motcua_string,
    err: *mut *mut motcua_error,
) -> motcua_result {
    // SAFETY: the contract above, passed on to each helper.
    unsafe {
        guard(err, || {
            let out = Out::new(applied, "applied")?;
            let dossier = borrow_mut(dossier, "dossier")?;
            let compiled = borrow(procedure, "procedure")?;
            let command: Command = json(text(command, command_len, "command")?, "command")?;
            let applied = dossier.apply(&compiled.procedure, &command).map_err(|r| Failure::rejected(&r))?;
            out.set(new_string(to_json(&applied)?));
            Ok(())
        })
    }
}

/// `motcua_dossier_apply` in one call for hosts where every foreign call has a price (JNA,
/// P/Invoke, PHP FFI): the answer is written into the caller's buffer instead of a
/// `motcua_string` to read with two more calls and free with a third.
///
/// The answer is the applied JSON `{"events", "effects", "duplicate"}` on success, and on
/// failure the error's report (`motcua_error_report`: result, code, line, column, path,
/// messages, detail) — so a host may pass `err` NULL and still learn everything. `*len` is
/// always its length in bytes. When it fits (`*len <= buf_cap`) it is copied to `buf` (a NUL
/// follows when there is room) and `*overflow` is NULL; otherwise `buf` is untouched and
/// `*overflow` is a new string holding it (free it with `motcua_string_free`). `buf` may be
/// NULL when `buf_cap` is 0. The dossier changes exactly as with `motcua_dossier_apply`.
///
/// ```c
/// char buf[16384];
/// size_t len;
/// motcua_string *big = NULL;
/// motcua_result r = motcua_dossier_apply_to_buffer(dossier, procedure, cmd, cmd_len,
///                                                  buf, sizeof buf, &len, &big, NULL);
/// const char *json = big ? motcua_string_ptr(big) : buf;  // applied, or the error report
/// // ... use json, len bytes ...
/// motcua_string_free(big);
/// ```
///
/// If `len` or `overflow` is NULL (or `buf` is NULL with `buf_cap` > 0) nothing is applied,
/// nothing is written and the result is `MOTCUA_RESULT_NULL_ARGUMENT` (with `*err` if given).
///
/// # Safety
/// As `motcua_dossier_apply`; `buf` is NULL or valid for writing `buf_cap` bytes; `len` and
/// `overflow` are valid for writing a `size_t` and a pointer.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn motcua_dossier_apply_to_buffer(
    dossier: *mut motcua_dossier,
    procedure: *const motcua_procedure,
    command: *const c_char,
    command_len: usize,
    buf: *mut c_char,
    buf_cap: usize,
    len: *mut usize,
    overflow: *mut *mut motcua_string,
    err: *mut *mut motcua_error,
) -> motcua_result {
    if len.is_null() || overflow.is_null() || (buf.is_null() && buf_cap > 0) {
        let arg = if len.is_null() {
            "len"
        } else if overflow.is_null() {
            "overflow"
        } else {
            "buf"
        };
        // SAFETY: `err` is NULL or valid for writing a pointer (the contract above).
        return unsafe { guard(err, || Err(Failure::null(arg))) };
    }
    // SAFETY: checked non-NULL above; the caller promises both are writable.
    unsafe {
        len.write(0);
        overflow.write(std::ptr::null_mut());
    }
    let mut answer: Option<String> = None;
    let mut error: *mut motcua_error = std::ptr::null_mut();
    // SAFETY: the contract above, passed on to each helper; `error` is a local out pointer.
    let result = unsafe {
        guard(&mut error, || {
            let dossier = borrow_mut(dossier, "dossier")?;
            let compiled = borrow(procedure, "procedure")?;
            let command: Command = json(text(command, command_len, "command")?, "command")?;
            let applied = dossier.apply(&compiled.procedure, &command).map_err(|r| Failure::rejected(&r))?;
            answer = Some(to_json(&applied)?);
            Ok(())
        })
    };
    guard_value((), || {
        let text: &str = match (&answer, error.is_null()) {
            (Some(applied), _) => applied,
            // SAFETY: `error` was just made by `guard` and is freed below, after this borrow.
            (None, false) => match unsafe { borrow::<motcua_error>(error, "err") } {
                Ok(data) => data.report().as_str(),
                Err(_) => "",
            },
            (None, true) => "",
        };
        // SAFETY: `len`, `overflow` and `buf` were checked above (contract: writable).
        unsafe {
            len.write(text.len());
            if text.len() <= buf_cap {
                if !buf.is_null() {
                    std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), text.len());
                    if text.len() < buf_cap {
                        buf.add(text.len()).write(0);
                    }
                }
            } else {
                overflow.write(new_string(text));
            }
        }
    });
    if err.is_null() {
        // SAFETY: made by `guard` above and not handed out.
        unsafe { crate::motcua_error_free(error) };
    } else {
        // SAFETY: the caller promises `err` is valid for writing a pointer.
        unsafe { err.write(error) };
    }
    result
}

/// Fires every timer due at or before `now` (RFC 3339), earliest first. `*applied` is the
/// JSON `{"events", "effects", "duplicate"}`, with empty lists when nothing was due. All or
/// nothing: on a rejection the dossier is unchanged.
///
/// # Safety
/// `dossier` is NULL or a live dossier used by no other thread during the call;
/// `procedure` is NULL or a live procedure; `now` points to `now_len` readable bytes;
/// `applied` is valid for writing a pointer; `err` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_dossier_advance(
    dossier: *mut motcua_dossier,
    procedure: *const motcua_procedure,
    now: *const c_char,
    now_len: usize,
    applied: *mut *mut motcua_string,
    err: *mut *mut motcua_error,
) -> motcua_result {
    // SAFETY: the contract above, passed on to each helper.
    unsafe {
        guard(err, || {
            let out = Out::new(applied, "applied")?;
            let dossier = borrow_mut(dossier, "dossier")?;
            let compiled = borrow(procedure, "procedure")?;
            let now = instant(text(now, now_len, "now")?, "now")?;
            let applied: Applied = dossier.advance(&compiled.procedure, now).map_err(|r| Failure::rejected(&r))?;
            out.set(new_string(to_json(&applied)?));
            Ok(())
        })
    }
}

/// When the host should call `motcua_dossier_advance` next: `*out` is the earliest pending
/// timer as an RFC 3339 string, or NULL (with `MOTCUA_RESULT_OK`) when none is pending.
/// Index dossiers by this value.
///
/// # Safety
/// `dossier` is NULL or a live dossier not being changed by another thread; `out` is valid
/// for writing a pointer; `err` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_dossier_next_due(
    dossier: *const motcua_dossier,
    out: *mut *mut motcua_string,
    err: *mut *mut motcua_error,
) -> motcua_result {
    // SAFETY: the contract above, passed on.
    unsafe { string_of(dossier, out, err, |d| Ok(d.next_due().map(|due| due.to_rfc3339()))) }
}

/// The dossier as JSON (the snapshot: status, active steps, deadline, log, history), for
/// the host to store and to load again with `motcua_dossier_from_snapshot`.
///
/// # Safety
/// `dossier` is NULL or a live dossier not being changed by another thread; `out` is valid
/// for writing a pointer; `err` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_dossier_snapshot(
    dossier: *const motcua_dossier,
    out: *mut *mut motcua_string,
    err: *mut *mut motcua_error,
) -> motcua_result {
    // SAFETY: the contract above, passed on.
    unsafe { string_of(dossier, out, err, |d| to_json(d).map(Some)) }
}

/// The hash of the dossier's last event (SHA-256, hex): what the host stores beside the
/// snapshot, where the snapshot cannot change it, and gives back to
/// `motcua_dossier_from_snapshot`.
///
/// # Safety
/// `dossier` is NULL or a live dossier not being changed by another thread; `out` is valid
/// for writing a pointer; `err` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_dossier_head(
    dossier: *const motcua_dossier,
    out: *mut *mut motcua_string,
    err: *mut *mut motcua_error,
) -> motcua_result {
    // SAFETY: the contract above, passed on.
    unsafe { string_of(dossier, out, err, |d| Ok(Some(d.head().to_owned()))) }
}

/// The accessor shape shared by the functions that give one string of a dossier: `*out` is
/// the string `read` gives, or NULL (with `MOTCUA_RESULT_OK`) when it gives none.
///
/// # Safety
/// As for the exported functions: `dossier` is NULL or a live dossier not being changed by
/// another thread; `out` is valid for writing a pointer; `err` is NULL or valid for writing.
unsafe fn string_of(
    dossier: *const motcua_dossier,
    out: *mut *mut motcua_string,
    err: *mut *mut motcua_error,
    read: impl FnOnce(&Dossier) -> Result<Option<String>, Failure>,
) -> motcua_result {
    // SAFETY: the contract above, passed on to each helper.
    unsafe {
        guard(err, || {
            let out = Out::new(out, "out")?;
            if let Some(text) = read(borrow(dossier, "dossier")?)? {
                out.set(new_string(text));
            }
            Ok(())
        })
    }
}

/// The dossier's version: the number of events recorded (use it as `expected_version`);
/// 0 for NULL or a wrong handle.
///
/// # Safety
/// `dossier` is NULL or a live dossier not being changed by another thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_dossier_version(dossier: *const motcua_dossier) -> u64 {
    guard_value(0, || {
        // SAFETY: the contract above.
        unsafe { borrow(dossier, "dossier") }.map(Dossier::version).unwrap_or(0)
    })
}

/// Loads a dossier from a snapshot made by `motcua_dossier_snapshot`, checked against its
/// own history: the history is replayed with `procedure` (the version the dossier was
/// opened under) and must give exactly the snapshot, ending at `head` (the dossier's last
/// event hash, `"head"` in the snapshot, as the host stored it where the snapshot cannot
/// change it; `head` NULL skips that comparison). An edited snapshot is
/// `MOTCUA_RESULT_REJECTED` with code `tampered_snapshot` (or `tampered_history`,
/// `invalid_history`, `wrong_procedure`). On success `*out` is a new dossier.
///
/// # Safety
/// `procedure` is NULL or a live procedure; `snapshot` points to `snapshot_len` readable
/// bytes; `head` is NULL or points to `head_len` readable bytes; `out` is valid for writing
/// a pointer; `err` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_dossier_from_snapshot(
    procedure: *const motcua_procedure,
    snapshot: *const c_char,
    snapshot_len: usize,
    head: *const c_char,
    head_len: usize,
    out: *mut *mut motcua_dossier,
    err: *mut *mut motcua_error,
) -> motcua_result {
    // SAFETY: the contract above, passed on to each helper.
    unsafe {
        guard(err, || {
            let out = Out::new(out, "out")?;
            let compiled = borrow(procedure, "procedure")?;
            let stored: Dossier = json(text(snapshot, snapshot_len, "snapshot")?, "snapshot")?;
            let head = if head.is_null() { None } else { Some(text(head, head_len, "head")?) };
            let dossier =
                Dossier::from_snapshot(&compiled.procedure, stored, head).map_err(|r| Failure::rejected(&r))?;
            out.set(into_handle::<motcua_dossier>(dossier));
            Ok(())
        })
    }
}

/// Rebuilds a dossier from its events (a JSON array, as returned in `"events"`), checking
/// each as a command would be: an altered history is `MOTCUA_RESULT_REJECTED` with code
/// `invalid_history` or `wrong_procedure`.
///
/// # Safety
/// `procedure` is NULL or a live procedure; `events` points to `events_len` readable
/// bytes; `out` is valid for writing a pointer; `err` is NULL or valid for writing a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_dossier_replay(
    procedure: *const motcua_procedure,
    events: *const c_char,
    events_len: usize,
    out: *mut *mut motcua_dossier,
    err: *mut *mut motcua_error,
) -> motcua_result {
    // SAFETY: the contract above, passed on to each helper.
    unsafe {
        guard(err, || {
            let out = Out::new(out, "out")?;
            let compiled = borrow(procedure, "procedure")?;
            let events: Vec<Event> = json(text(events, events_len, "events")?, "events")?;
            let dossier = Dossier::replay(&compiled.procedure, &events).map_err(|r| Failure::rejected(&r))?;
            out.set(into_handle::<motcua_dossier>(dossier));
            Ok(())
        })
    }
}

/// Frees a dossier. NULL is ignored.
///
/// # Safety
/// `dossier` is NULL or a dossier returned by this library, not yet freed, not in use by
/// another thread; it is not used after.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_dossier_free(dossier: *mut motcua_dossier) {
    guard_value((), || {
        // SAFETY: the contract above.
        unsafe { free_handle(dossier) }
    })
}
