//! The plumbing every export shares: handles, strings in and out, the panic boundary.
//!
//! Every function that dereferences a pointer from C goes through one of the helpers here,
//! so the `unsafe` blocks of the crate are few and each says why it holds.

use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};

use engine::Message;
use serde::de::DeserializeOwned;

use crate::error::Failure;
use crate::motcua_error;

/// The result of every fallible function. `MOTCUA_RESULT_OK` is zero; anything else is an
/// error, described in detail by the `motcua_error` the function returns through its
/// `err` argument (when that argument is not NULL).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum motcua_result {
    /// Success.
    Ok = 0,
    /// A required pointer argument was NULL.
    NullArgument = 1,
    /// A handle argument is of another type (e.g. a dossier passed as a procedure).
    InvalidHandle = 2,
    /// A string argument is not valid UTF-8.
    InvalidUtf8 = 3,
    /// A JSON argument is not valid JSON or does not have the documented shape.
    InvalidJson = 4,
    /// Another argument is malformed: an instant, a date, a duration, a language, a length.
    InvalidArgument = 5,
    /// YAML (catalogue, calendar, procedure) did not load: see the diagnostics.
    LoadError = 6,
    /// The engine refused a submission or command; the dossier is unchanged.
    Rejected = 7,
    /// Working-time arithmetic left the calendar's years, or the calendar is unknown.
    CalendarError = 8,
    /// The library panicked (a bug, please report it). The call was stopped at the panic
    /// boundary; a dossier it was changing may be left half-changed: free it and load it
    /// again from the host's store.
    Panic = 9,
    /// A result could not be written as JSON (a value JSON cannot hold). Nothing was
    /// changed; this is not a panic and the library stays usable.
    SerializeError = 10,
}

impl motcua_result {
    /// The stable code string of results that have no more specific engine code.
    pub(crate) fn code(self) -> &'static str {
        match self {
            motcua_result::Ok => "ok",
            motcua_result::NullArgument => "null_argument",
            motcua_result::InvalidHandle => "invalid_handle",
            motcua_result::InvalidUtf8 => "invalid_utf8",
            motcua_result::InvalidJson => "invalid_json",
            motcua_result::InvalidArgument => "invalid_argument",
            motcua_result::LoadError => "load_error",
            motcua_result::Rejected => "rejected",
            motcua_result::SerializeError => "serialize_error",
            motcua_result::CalendarError => "calendar_error",
            motcua_result::Panic => "panic",
        }
    }
}

/// A borrowed UTF-8 string: `len` bytes at `ptr`, followed by a NUL byte for convenience
/// (`len` is authoritative: JSON never contains a raw NUL, but a message might).
///
/// `ptr` is never NULL. The string lives as long as the object it was read from (or
/// forever for `motcua_version`); copy it to keep it longer.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct motcua_str {
    /// The first byte.
    pub ptr: *const c_char,
    /// The length in bytes, without the trailing NUL.
    pub len: usize,
}

impl motcua_str {
    pub(crate) fn from_static(s: &'static str) -> motcua_str {
        debug_assert!(s.ends_with('\0'));
        motcua_str { ptr: s.as_ptr().cast(), len: s.len() - 1 }
    }

    pub(crate) fn empty() -> motcua_str {
        motcua_str::from_static("\0")
    }
}

/// An owned string with a trailing NUL that is not part of its length.
#[derive(Clone, Debug)]
pub(crate) struct NulString(String);

impl NulString {
    pub(crate) fn new(s: impl Into<String>) -> NulString {
        let mut s = s.into();
        s.push('\0');
        NulString(s)
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0[..self.0.len() - 1]
    }

    pub(crate) fn borrow(&self) -> motcua_str {
        motcua_str { ptr: self.0.as_ptr().cast(), len: self.0.len() - 1 }
    }
}

/// Every handle is a `Handle` on the heap: a tag naming its type, then the value. The tag
/// at offset 0 (`repr(C)`) lets every function tell a wrong handle from a right one.
#[repr(C)]
pub(crate) struct Handle<T> {
    magic: u64,
    value: T,
}

/// An opaque C type and what its pointer really points to.
pub(crate) trait Opaque {
    /// The Rust value behind the handle.
    type Inner;
    /// The tag at the start of the handle.
    const MAGIC: u64;
}

/// The addresses of the handles alive now. A pointer is dereferenced only when it is in
/// this set, so a handle used after `_free` (or freed twice) is `MOTCUA_RESULT_INVALID_HANDLE`
/// and never a read of freed memory. One lock and one hash look-up per call: noise beside
/// the work of any call.
static LIVE: std::sync::Mutex<Option<std::collections::HashSet<usize>>> = std::sync::Mutex::new(None);

fn live() -> std::sync::MutexGuard<'static, Option<std::collections::HashSet<usize>>> {
    // A panic while holding the lock cannot leave the set half-updated (insert and remove
    // are single operations), so a poisoned lock is still good.
    LIVE.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Moves `value` to the heap and returns it as a handle the caller owns.
pub(crate) fn into_handle<O: Opaque>(value: O::Inner) -> *mut O {
    let ptr: *mut Handle<O::Inner> = Box::into_raw(Box::new(Handle { magic: O::MAGIC, value }));
    live().get_or_insert_with(Default::default).insert(ptr as usize);
    ptr.cast()
}

/// Checks a handle argument: not NULL and of the right type.
fn check<O: Opaque>(ptr: *const O, arg: &'static str) -> Result<*mut Handle<O::Inner>, Failure> {
    if ptr.is_null() {
        return Err(Failure::null(arg));
    }
    if !live().as_ref().is_some_and(|set| set.contains(&(ptr as usize))) {
        return Err(Failure::new(
            motcua_result::InvalidHandle,
            arg,
            "Đối số không phải đối tượng còn hiệu lực (đã giải phóng?)",
            "not a live handle (already freed?)",
        ));
    }
    // SAFETY: the pointer is in the live set, so `into_handle` made it and no `_free` has
    // taken it yet (the caller promises no other thread frees it meanwhile). Every such
    // pointer is a `Handle<_>` with a `u64` tag at offset 0 and 8-byte alignment, so
    // reading the tag is valid whichever handle type it really is.
    let magic = unsafe { ptr.cast::<u64>().read() };
    if magic != O::MAGIC {
        return Err(Failure::new(motcua_result::InvalidHandle, arg, "Đối số không đúng loại", "wrong handle type"));
    }
    Ok(ptr.cast::<Handle<O::Inner>>().cast_mut())
}

/// Borrows the value behind a handle argument.
///
/// # Safety
/// `ptr` is NULL or a live handle from this library, not mutated during `'a`.
pub(crate) unsafe fn borrow<'a, O: Opaque>(ptr: *const O, arg: &'static str) -> Result<&'a O::Inner, Failure> {
    let handle = check(ptr, arg)?;
    // SAFETY: `check` verified the tag, so `handle` is a live `Handle<O::Inner>`; the caller
    // promises nothing mutates it while borrowed.
    Ok(unsafe { &(*handle).value })
}

/// Borrows the value behind a handle argument mutably.
///
/// # Safety
/// `ptr` is NULL or a live handle from this library, used by no one else during `'a`.
pub(crate) unsafe fn borrow_mut<'a, O: Opaque>(ptr: *mut O, arg: &'static str) -> Result<&'a mut O::Inner, Failure> {
    let handle = check(ptr, arg)?;
    // SAFETY: as in `borrow`, and the caller promises exclusive use (documented: a dossier
    // must not be used from two threads at once).
    Ok(unsafe { &mut (*handle).value })
}

/// Frees a handle; ignores NULL, handles of another type and handles already freed.
///
/// # Safety
/// `ptr` is NULL or a pointer returned by this library, not used after this call.
pub(crate) unsafe fn free_handle<O: Opaque>(ptr: *mut O) {
    if let Ok(handle) = check(ptr, "handle") {
        // Out of the live set before the memory goes: a second free finds nothing.
        let mut live = live();
        if let Some(set) = live.as_mut() {
            set.remove(&(ptr as usize));
            if set.is_empty() {
                // Nothing alive: give the table back, so a host that freed everything
                // leaves no allocation behind (valgrind sees none).
                *live = None;
            }
        }
        // SAFETY: `handle` came from `Box::into_raw` in `into_handle` with this type (the tag
        // says so), and the caller gives up the pointer.
        drop(unsafe { Box::from_raw(handle) });
    }
}

/// Borrows a `(ptr, len)` UTF-8 string argument.
///
/// # Safety
/// `ptr` is NULL or points to `len` readable bytes that stay unchanged during `'a`.
pub(crate) unsafe fn text<'a>(ptr: *const c_char, len: usize, arg: &'static str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(Failure::null(arg));
    }
    if len > isize::MAX as usize {
        return Err(Failure::new(
            motcua_result::InvalidArgument,
            arg,
            "Độ dài chuỗi không hợp lệ",
            "the string length is too large",
        ));
    }
    // SAFETY: non-NULL, length within `isize::MAX`, and the caller promises `len` readable
    // bytes that do not change while borrowed.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    std::str::from_utf8(bytes).map_err(|e| {
        Failure::new(
            motcua_result::InvalidUtf8,
            arg,
            format!("Chuỗi không phải UTF-8 hợp lệ (byte {})", e.valid_up_to()),
            format!("the string is not valid UTF-8 (at byte {})", e.valid_up_to()),
        )
    })
}

/// Reads a JSON argument into a core type, reporting the line and column of a mistake.
pub(crate) fn json<T: DeserializeOwned>(text: &str, arg: &'static str) -> Result<T, Failure> {
    serde_json::from_str(text).map_err(|e| {
        let mut f = Failure::new(
            motcua_result::InvalidJson,
            arg,
            format!("JSON không hợp lệ: {e}"),
            format!("invalid JSON: {e}"),
        );
        f.line = u32::try_from(e.line()).unwrap_or(u32::MAX);
        f.column = u32::try_from(e.column()).unwrap_or(u32::MAX);
        f
    })
}

/// Serializes a core value for the caller.
pub(crate) fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, Failure> {
    serde_json::to_string(value).map_err(|e| {
        Failure::new(
            motcua_result::SerializeError,
            "",
            format!("Không tuần tự hóa được JSON: {e}"),
            format!("could not serialize JSON: {e}"),
        )
    })
}

/// An output pointer argument (`T **out`), checked and cleared before any work.
pub(crate) struct Out<T>(*mut *mut T);

impl<T> Out<T> {
    /// Checks `out` and sets `*out = NULL`.
    ///
    /// # Safety
    /// `out` is NULL or valid for writing one pointer.
    pub(crate) unsafe fn new(out: *mut *mut T, arg: &'static str) -> Result<Out<T>, Failure> {
        if out.is_null() {
            return Err(Failure::null(arg));
        }
        // SAFETY: non-NULL, and the caller promises it is valid for writing a pointer.
        unsafe { out.write(std::ptr::null_mut()) };
        Ok(Out(out))
    }

    /// Hands `value` to the caller.
    pub(crate) fn set(self, value: *mut T) {
        // SAFETY: checked in `Out::new`; the same call still runs, so it is still valid.
        unsafe { self.0.write(value) }
    }
}

/// The panic boundary and error reporting around every fallible export.
///
/// Clears `*err`, runs `body`, and on failure (or panic) stores a new `motcua_error` in
/// `*err` (when `err` is not NULL) and returns its result code.
///
/// # Safety
/// `err` is NULL or valid for writing one pointer.
pub(crate) unsafe fn guard(err: *mut *mut motcua_error, body: impl FnOnce() -> Result<(), Failure>) -> motcua_result {
    if !err.is_null() {
        // SAFETY: non-NULL, and the caller promises it is valid for writing a pointer.
        unsafe { err.write(std::ptr::null_mut()) };
    }
    let failure = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return motcua_result::Ok,
        Ok(Err(failure)) => failure,
        Err(payload) => Failure::panic(payload.as_ref()),
    };
    let result = failure.result;
    if !err.is_null() {
        // Building the error allocates; a panic here (out of memory aborts anyway) must not
        // cross the boundary either.
        if let Ok(handle) = catch_unwind(AssertUnwindSafe(|| failure.into_error())) {
            // SAFETY: as above.
            unsafe { err.write(handle) };
        }
    }
    result
}

/// The panic boundary around exports that cannot fail (accessors, `_free`): a panic
/// returns `fallback`.
pub(crate) fn guard_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// The message of a language argument that is neither `vi` nor `en`.
pub(crate) fn lang(lang: &str) -> Result<&'static str, Failure> {
    match lang {
        "vi" => Ok("vi"),
        "en" => Ok("en"),
        _ => Err(Failure::new(
            motcua_result::InvalidArgument,
            "lang",
            "Ngôn ngữ phải là `vi` hoặc `en`",
            "the language must be `vi` or `en`",
        )),
    }
}

pub(crate) fn message(vi: impl Into<String>, en: impl Into<String>) -> Message {
    Message::new(vi, en)
}
