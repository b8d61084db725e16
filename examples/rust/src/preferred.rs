//! A device plugin's GetPreferredAllocation as a Rust closure behind the C callback
//! (`podalloc_node_set_device_preferred_allocation`).
use std::collections::HashMap;
use std::os::raw::{c_char, c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Mutex;

use crate::pod::string_of;
use crate::{call, sys, Node, Result};

/// Among `available` (ascending IDs, `must_include` among them), the IDs the plugin prefers for
/// a container that needs `size` devices of `resource`. IDs outside `available` are ignored; an
/// `Err` (or a panic) refuses the pod with UnexpectedAdmissionError, its text in the pod's
/// message.
pub type PreferredAllocation = dyn Fn(&str, &[String], &[String], usize) -> std::result::Result<Vec<String>, String>
    + Send
    + Sync;

/// The closures the library may call, by resource. Each is boxed twice so the library holds a
/// thin pointer that stays put while the map changes.
#[derive(Default)]
pub(crate) struct PreferredHooks(Mutex<HashMap<String, Box<Box<PreferredAllocation>>>>);

impl PreferredHooks {
    fn replace(&self, resource: &str, hook: Option<Box<Box<PreferredAllocation>>>) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match hook {
            Some(h) => {
                map.insert(resource.to_string(), h);
            }
            None => {
                map.remove(resource);
            }
        }
    }

    pub(crate) fn forget(&self, resource: &str) {
        self.replace(resource, None);
    }
}

unsafe fn strings(list: *const sys::podalloc_text, count: usize) -> Vec<String> {
    if count == 0 || list.is_null() {
        return Vec::new();
    }
    std::slice::from_raw_parts(list, count).iter().map(|t| string_of(*t)).collect()
}

/// Copies `text`, cut to fit, NUL-terminated, into the library's buffer.
unsafe fn write_message(buf: *mut c_char, capacity: usize, text: &str) {
    if buf.is_null() || capacity == 0 {
        return;
    }
    let out = std::slice::from_raw_parts_mut(buf.cast::<u8>(), capacity);
    let n = text.len().min(capacity - 1);
    out[..n].copy_from_slice(&text.as_bytes()[..n]);
    out[n] = 0;
}

#[allow(clippy::too_many_arguments)]
extern "C" fn trampoline(
    user: *mut c_void,
    resource: sys::podalloc_text,
    available: *const sys::podalloc_text,
    available_count: usize,
    must_include: *const sys::podalloc_text,
    must_include_count: usize,
    size: usize,
    chosen: *mut usize,
    chosen_capacity: usize,
    chosen_count: *mut usize,
    message: *mut c_char,
    message_capacity: usize,
) -> c_int {
    // A panic must not unwind into the library: it is the plugin failing.
    let answer = catch_unwind(AssertUnwindSafe(|| {
        let f = unsafe { &*(user as *const Box<PreferredAllocation>) };
        let offered = unsafe { strings(available, available_count) };
        let must = unsafe { strings(must_include, must_include_count) };
        f(&string_of(resource), &offered, &must, size).map(|ids| (offered, ids))
    }));
    let (offered, ids) = match answer {
        Ok(Ok(answer)) => answer,
        Ok(Err(why)) => {
            unsafe { write_message(message, message_capacity, &why) };
            return 1;
        }
        Err(_) => {
            unsafe { write_message(message, message_capacity, "panic") };
            return 2;
        }
    };
    let out = unsafe { std::slice::from_raw_parts_mut(chosen, chosen_capacity) };
    let mut n = 0;
    for id in &ids {
        if let Ok(i) = offered.binary_search(id) {
            if n < out.len() {
                out[n] = i;
                n += 1;
            }
        }
    }
    unsafe { *chosen_count = n };
    0
}

impl Node {
    /// Gives the resource's device plugin a GetPreferredAllocation. The node asks it when a
    /// container can take more devices than it needs, as the kubelet asks plugins registered
    /// with GetPreferredAllocationAvailable; it runs during admissions, possibly on several
    /// threads at once, and must not call into this node. It is kept when the devices are
    /// listed again (`set_device_resource`) and dropped by `remove_device_resource`.
    pub fn set_device_preferred_allocation<F>(&self, resource: &str, f: F) -> Result<()>
    where
        F: Fn(&str, &[String], &[String], usize) -> std::result::Result<Vec<String>, String>
            + Send
            + Sync
            + 'static,
    {
        let hook: Box<Box<PreferredAllocation>> = Box::new(Box::new(f));
        let user = &*hook as *const Box<PreferredAllocation> as *mut c_void;
        call(|err| unsafe {
            sys::podalloc_node_set_device_preferred_allocation(
                self.raw,
                resource.as_ptr().cast(),
                resource.len(),
                Some(trampoline),
                user,
                err,
            )
        })?;
        // The library calls the new closure from now on; the one it replaced can go.
        self.preferred.replace(resource, Some(hook));
        Ok(())
    }

    /// The resource's plugin no longer answers GetPreferredAllocation: ascending IDs again.
    pub fn clear_device_preferred_allocation(&self, resource: &str) -> Result<()> {
        call(|err| unsafe {
            sys::podalloc_node_set_device_preferred_allocation(
                self.raw,
                resource.as_ptr().cast(),
                resource.len(),
                None,
                std::ptr::null_mut(),
                err,
            )
        })?;
        self.preferred.forget(resource);
        Ok(())
    }
}
