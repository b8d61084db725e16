//! NodeResourceTopology export, the pod fingerprint and the fit report (docs/nrt.md): the C
//! declarations of that block of podalloc.h, written by hand, and the safe calls on `Node`.
use crate::{call, empty_buffer, sys, take_buffer, text, Node, Result};
use std::os::raw::c_char;

/// podalloc_node_nrt flag: YAML instead of JSON.
pub const PODALLOC_NRT_YAML: u32 = 0x1;

extern "C" {
    fn podalloc_node_nrt(
        out: *mut sys::podalloc_buffer,
        node: *const sys::podalloc_node,
        options_json: *const c_char,
        options_json_len: usize,
        flags: u32,
        err: sys::Err,
    ) -> sys::podalloc_status;
    fn podalloc_pod_fingerprint(
        out: *mut sys::podalloc_buffer,
        pods_json: *const c_char,
        pods_json_len: usize,
        err: sys::Err,
    ) -> sys::podalloc_status;
    fn podalloc_node_fit_report(
        out: *mut sys::podalloc_buffer,
        node: *const sys::podalloc_node,
        query_json: *const c_char,
        query_json_len: usize,
        err: sys::Err,
    ) -> sys::podalloc_status;
}

impl Node {
    /// The node's NodeResourceTopology object (topology.node.k8s.io/v1alpha2) for the options
    /// JSON (`{"nodeName": ..., "mode": "exact" | "rte", ...}`), as JSON or, with `yaml`, YAML.
    /// The node is not changed.
    pub fn nrt(&self, options_json: &[u8], yaml: bool) -> Result<Vec<u8>> {
        let mut buf = empty_buffer();
        let (p, n) = text(options_json);
        let flags = if yaml { PODALLOC_NRT_YAML } else { 0 };
        call(|err| unsafe { podalloc_node_nrt(&mut buf, self.raw, p, n, flags, err) })?;
        Ok(take_buffer(buf))
    }

    /// What the node can still take: the largest Guaranteed pod per resource (overall and per
    /// NUMA node, for the configured and what-if policies) and whether the query's pod shapes
    /// fit, as the report JSON. An empty query means the defaults. The node is not changed.
    pub fn fit_report(&self, query_json: &[u8]) -> Result<Vec<u8>> {
        let mut buf = empty_buffer();
        let (p, n) = text(query_json);
        call(|err| unsafe { podalloc_node_fit_report(&mut buf, self.raw, p, n, err) })?;
        Ok(take_buffer(buf))
    }
}

/// The pod fingerprint ("pfp0v001" + 16 hex digits) of v1 Pods given as a JSON array or a v1
/// List; only their namespaces and names count.
pub fn pod_fingerprint(pods_json: &[u8]) -> Result<String> {
    let mut buf = empty_buffer();
    let (p, n) = text(pods_json);
    call(|err| unsafe { podalloc_pod_fingerprint(&mut buf, p, n, err) })?;
    Ok(String::from_utf8_lossy(&take_buffer(buf)).into_owned())
}
