#!/usr/bin/env python3
"""Smoke test of the C ABI from Python ctypes, as a binding with no compiler would use it.

Runs the kubelet's take-by-topology vectors (conformance/cpumanager, packed and spread)
through podalloc_cpuset_take, checks errors come back as objects with the right code, and
resizes a pod in place through podalloc_node_resize (options struct, JSON answer).
Usage: ctypes_smoke.py <libpodalloc.so> <shared dir>
"""
import ctypes
import json
import os
import sys

OK, INVALID_ARGUMENT, NOT_FOUND, RESOURCE_EXHAUSTED = 0, 3, 5, 8
TAKE_SPREAD_ACROSS_CORES, TAKE_ALIGN_BY_UNCORE_CACHE = 0x1, 0x2
RESIZE_CHECK_ONLY = 0x1


class Error(ctypes.Structure):
    pass


class Buffer(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("size", ctypes.c_size_t)]


class TakeOptions(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("flags", ctypes.c_uint32),
                ("cpu_group_size", ctypes.c_int32)]


class ResizeOptions(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("flags", ctypes.c_uint32),
                ("usage_json", ctypes.c_char_p), ("usage_json_len", ctypes.c_size_t)]


def load(path):
    lib = ctypes.CDLL(path)
    status = ctypes.c_int32
    err = ctypes.POINTER(ctypes.POINTER(Error))
    topo = ctypes.c_void_p
    node = ctypes.c_void_p
    words = ctypes.POINTER(ctypes.c_uint64)
    sigs = {
        "podalloc_version": (ctypes.c_uint32, []),
        "podalloc_version_string": (ctypes.c_char_p, []),
        "podalloc_error_code": (status, [ctypes.POINTER(Error)]),
        "podalloc_error_message": (ctypes.c_char_p, [ctypes.POINTER(Error)]),
        "podalloc_error_free": (None, [ctypes.POINTER(Error)]),
        "podalloc_last_error_message": (ctypes.c_char_p, []),
        "podalloc_buffer_free": (None, [ctypes.POINTER(Buffer)]),
        "podalloc_topology_from_json": (status, [ctypes.POINTER(topo), ctypes.c_char_p,
                                                 ctypes.c_size_t, err]),
        "podalloc_topology_to_json": (status, [ctypes.POINTER(Buffer), topo, err]),
        "podalloc_topology_destroy": (None, [topo]),
        "podalloc_topology_cpuset_words": (ctypes.c_size_t, [topo]),
        "podalloc_take_options_init": (None, [ctypes.POINTER(TakeOptions)]),
        "podalloc_cpuset_parse": (status, [words, ctypes.c_size_t,
                                           ctypes.POINTER(ctypes.c_size_t), ctypes.c_char_p,
                                           ctypes.c_size_t, err]),
        "podalloc_cpuset_format": (status, [ctypes.c_char_p, ctypes.c_size_t,
                                            ctypes.POINTER(ctypes.c_size_t), words,
                                            ctypes.c_size_t, err]),
        "podalloc_cpuset_take": (status, [words, ctypes.c_size_t, topo, words, ctypes.c_size_t,
                                          ctypes.c_int32, ctypes.POINTER(TakeOptions), err]),
        "podalloc_topology_from_synthetic": (status, [ctypes.POINTER(topo), ctypes.c_char_p,
                                                      ctypes.c_size_t, err]),
        "podalloc_node_create": (status, [ctypes.POINTER(node), topo, ctypes.c_char_p,
                                          ctypes.c_size_t, err]),
        "podalloc_node_destroy": (None, [node]),
        "podalloc_node_version": (ctypes.c_uint64, [node]),
        "podalloc_node_admit_and_commit": (status, [ctypes.POINTER(Buffer), node,
                                                    ctypes.c_char_p, ctypes.c_size_t, err]),
        "podalloc_resize_options_init": (None, [ctypes.POINTER(ResizeOptions)]),
        "podalloc_node_resize": (status, [ctypes.POINTER(Buffer), node, ctypes.c_char_p,
                                          ctypes.c_size_t, ctypes.POINTER(ResizeOptions), err]),
    }
    for name, (restype, argtypes) in sigs.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = restype, argtypes
    return lib


class Api:
    """The few idioms a binding needs: text in, error objects out, masks as word arrays."""

    def __init__(self, lib):
        self.lib = lib

    def call(self, fn, *args):
        err = ctypes.POINTER(Error)()
        code = fn(*args, ctypes.byref(err))
        if code == OK:
            assert not err, "error object set on success"
            return OK, ""
        assert err, "no error object on failure"
        message = self.lib.podalloc_error_message(err).decode()
        assert self.lib.podalloc_error_code(err) == code
        self.lib.podalloc_error_free(err)
        return code, message

    def topology(self, text):
        handle = ctypes.c_void_p()
        data = text.encode()
        code, message = self.call(self.lib.podalloc_topology_from_json, ctypes.byref(handle),
                                  data, len(data))
        if code != OK:
            raise RuntimeError(message)
        return handle

    def mask(self, text, words):
        out = (ctypes.c_uint64 * max(words, 1))()
        data = text.encode()
        code, message = self.call(self.lib.podalloc_cpuset_parse, out, words, None, data,
                                  len(data))
        if code != OK:
            raise RuntimeError(message)
        return out

    def format(self, mask, words):
        needed = ctypes.c_size_t()
        self.lib.podalloc_cpuset_format(None, 0, ctypes.byref(needed), mask, words, None)
        text = ctypes.create_string_buffer(needed.value + 1)
        code, message = self.call(self.lib.podalloc_cpuset_format, text, len(text), None, mask,
                                  words)
        if code != OK:
            raise RuntimeError(message)
        return text.value.decode()


def pod(cpu_request, cpu_limit):
    return json.dumps({
        "metadata": {"name": "web", "namespace": "default", "uid": "web"},
        "spec": {"containers": [{"name": "app", "resources": {
            "requests": {"cpu": cpu_request}, "limits": {"cpu": cpu_limit}}}]}}).encode()


def run_resize(api):
    """A Burstable pod grows in place: a preview first, then the resize itself."""
    lib = api.lib
    topology, node = ctypes.c_void_p(), ctypes.c_void_p()
    machine = b"pack:1 core:2 pu:2"
    assert api.call(lib.podalloc_topology_from_synthetic, ctypes.byref(topology), machine,
                    len(machine))[0] == OK
    assert api.call(lib.podalloc_node_create, ctypes.byref(node), topology, None, 0)[0] == OK
    buf = Buffer()
    admitted = pod("1", "2")
    assert api.call(lib.podalloc_node_admit_and_commit, ctypes.byref(buf), node, admitted,
                    len(admitted))[0] == OK
    lib.podalloc_buffer_free(ctypes.byref(buf))
    version = lib.podalloc_node_version(node)

    grown = pod("2", "3")
    options = ResizeOptions()
    lib.podalloc_resize_options_init(ctypes.byref(options))
    assert options.struct_size == ctypes.sizeof(ResizeOptions)
    options.flags = RESIZE_CHECK_ONLY
    decisions = []
    for opts in (ctypes.byref(options), None):
        code, message = api.call(lib.podalloc_node_resize, ctypes.byref(buf), node, grown,
                                 len(grown), opts)
        assert code == OK, message
        decisions.append(json.loads(ctypes.string_at(buf.data, buf.size).decode()))
        lib.podalloc_buffer_free(ctypes.byref(buf))
    preview, done = decisions
    assert preview["feasible"] and not preview["applied"], preview
    assert done["feasible"] and done["applied"], done
    assert preview["plan"] == done["plan"]
    writes = [(w["cgroup"], w["file"]) for w in done["plan"]["writes"]]
    # Growing: the pod cgroup before the container, for each file.
    assert writes.index(("", "cpu.max")) < writes.index(("app", "cpu.max")), writes
    assert lib.podalloc_node_version(node) == version + 1

    # A pod the node does not know is an error object, not a decision.
    unknown = grown.replace(b'"uid": "web"', b'"uid": "nope"')
    code, message = api.call(lib.podalloc_node_resize, ctypes.byref(buf), node, unknown,
                             len(unknown), None)
    assert code == NOT_FOUND and "nope" in message, (code, message)
    lib.podalloc_node_destroy(node)
    lib.podalloc_topology_destroy(topology)


def kubelet_record(doc, name):
    for record in doc["topologies"]:
        if record["name"] == name:
            # The Go literals left unset counts at zero, and the kubelet computes with that 0.
            return {k: (0 if v is None and k.startswith("num_") else v)
                    for k, v in record.items()}
    return None


def run_take_vectors(api, shared):
    base = os.path.join(shared, "conformance", "cpumanager")
    with open(os.path.join(base, "topologies.json")) as f:
        topologies = json.load(f)
    passed = failed = 0
    for file_name in ("take_by_topology_packed.json", "take_by_topology_spread.json"):
        with open(os.path.join(base, file_name)) as f:
            cases = json.load(f)["cases"]
        for case in cases:
            record = kubelet_record(topologies, case["topology"])
            if record is None or case.get("topology_unresolved"):
                continue
            topology = api.topology(json.dumps(record))
            words = api.lib.podalloc_topology_cpuset_words(topology)
            available = api.mask(case["available"], words)
            request = case["request"]
            options = TakeOptions()
            api.lib.podalloc_take_options_init(ctypes.byref(options))
            if request.get("sorting_strategy") == "spread":
                options.flags |= TAKE_SPREAD_ACROSS_CORES
            if request.get("prefer_align_by_uncore_cache"):
                options.flags |= TAKE_ALIGN_BY_UNCORE_CACHE
            out = (ctypes.c_uint64 * max(words, 1))()
            code, message = api.call(api.lib.podalloc_cpuset_take, out, words, topology,
                                     available, words, request["num_cpus"],
                                     ctypes.byref(options))
            expected = case["expected"]
            if "error" in expected:
                good = code == RESOURCE_EXHAUSTED and (expected["error"] is True or
                                                       message == expected["error"])
                got = f"{code}: {message}"
            else:
                got = api.format(out, words) if code == OK else f"{code}: {message}"
                good = code == OK and got == expected["cpuset"]
            if good:
                passed += 1
            else:
                failed += 1
                print(f"FAIL {file_name}: {case['name']}: got {got!r}, expected {expected}")
            api.lib.podalloc_topology_destroy(topology)
    return passed, failed


def main():
    lib_path, shared = sys.argv[1], sys.argv[2]
    api = Api(load(lib_path))
    lib = api.lib
    version = lib.podalloc_version()
    assert lib.podalloc_version_string().decode() == \
        f"{version // 10000}.{version // 100 % 100}.{version % 100}"

    # Errors arrive as objects from the same call, and on the thread as well.
    handle = ctypes.c_void_p()
    code, message = api.call(lib.podalloc_topology_from_json, ctypes.byref(handle), b"{", 1)
    assert code == INVALID_ARGUMENT and message, (code, message)
    assert not handle
    assert lib.podalloc_last_error_message().decode() == message

    # A library-owned buffer, freed by the library.
    topology = api.topology('{"name": "two", "num_cpus": 2, "num_cores": 1, "num_sockets": 1,'
                            ' "cpus": [{"cpu": 0, "core": 0, "socket": 0, "numa": 0},'
                            ' {"cpu": 1, "core": 0, "socket": 0, "numa": 0}]}')
    buf = Buffer()
    assert api.call(lib.podalloc_topology_to_json, ctypes.byref(buf), topology)[0] == OK
    doc = json.loads(ctypes.string_at(buf.data, buf.size).decode())
    assert doc["schema"] == "podalloc.topology/v1", doc
    lib.podalloc_buffer_free(ctypes.byref(buf))
    assert not buf.data and buf.size == 0
    lib.podalloc_topology_destroy(topology)

    run_resize(api)
    print("ctypes: resize: a pod grew in place")

    passed, failed = run_take_vectors(api, shared)
    print(f"ctypes: take-by-topology vectors: {passed} passed, {failed} failed")
    if passed == 0 or failed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
