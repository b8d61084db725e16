// Package podalloc is a Go binding of podalloc's C ABI (podalloc/podalloc.h): the
// kubelet's CPU, memory and topology manager decisions for one node, as a library.
//
// It links libpodalloc through pkg-config (`#cgo pkg-config: podalloc`); point
// PKG_CONFIG_PATH at an install's lib/pkgconfig (or a build tree's pkgconfig folder); the .pc
// file carries a run path to the library, so the program starts without LD_LIBRARY_PATH.
//
// Every call returns its error from the same cgo call (an *Error with the C status code and
// message), so goroutines may move between OS threads freely. Handles (Topology, Node) hold
// C memory: call Close when done; a finalizer releases forgotten ones.
package podalloc

/*
#cgo pkg-config: podalloc
#include <podalloc/podalloc.h>
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Status is a podalloc_status: the canonical codes of absl::StatusCode and gRPC.
type Status int32

// The status codes of podalloc.h.
const (
	OK                 Status = C.PODALLOC_OK
	Cancelled          Status = C.PODALLOC_CANCELLED
	Unknown            Status = C.PODALLOC_UNKNOWN
	InvalidArgument    Status = C.PODALLOC_INVALID_ARGUMENT
	DeadlineExceeded   Status = C.PODALLOC_DEADLINE_EXCEEDED
	NotFound           Status = C.PODALLOC_NOT_FOUND
	AlreadyExists      Status = C.PODALLOC_ALREADY_EXISTS
	PermissionDenied   Status = C.PODALLOC_PERMISSION_DENIED
	ResourceExhausted  Status = C.PODALLOC_RESOURCE_EXHAUSTED
	FailedPrecondition Status = C.PODALLOC_FAILED_PRECONDITION
	Aborted            Status = C.PODALLOC_ABORTED
	OutOfRange         Status = C.PODALLOC_OUT_OF_RANGE
	Unimplemented      Status = C.PODALLOC_UNIMPLEMENTED
	Internal           Status = C.PODALLOC_INTERNAL
	Unavailable        Status = C.PODALLOC_UNAVAILABLE
	DataLoss           Status = C.PODALLOC_DATA_LOSS
	Unauthenticated    Status = C.PODALLOC_UNAUTHENTICATED
)

// String is the code's name, e.g. "INVALID_ARGUMENT".
func (s Status) String() string {
	return C.GoString(C.podalloc_status_name(C.podalloc_status(s)))
}

// Error is a failed call: its status code and the library's message.
type Error struct {
	Code    Status
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("podalloc: %v: %s", e.Code, e.Message) }

// Version is the loaded library's version, e.g. "0.1.0".
func Version() string { return C.GoString(C.podalloc_version_string()) }

// HeaderVersion is the version of the header this package was compiled against.
const HeaderVersion = C.PODALLOC_VERSION_STRING

func init() {
	if loaded := int(C.podalloc_version()) / 10000; loaded != C.PODALLOC_VERSION_MAJOR {
		panic(fmt.Sprintf("podalloc: loaded library %s does not match header %s",
			Version(), HeaderVersion))
	}
}

// call runs one fallible C call with an error out-parameter and converts its result.
func call(fn func(err **C.podalloc_error) C.podalloc_status) error {
	var cerr *C.podalloc_error
	status := fn(&cerr)
	if status == C.PODALLOC_OK {
		return nil
	}
	e := &Error{Code: Status(status)}
	if cerr != nil {
		e.Message = C.GoString(C.podalloc_error_message(cerr))
		C.podalloc_error_free(cerr)
	}
	return e
}

// text passes bytes as the C ABI's (pointer, length) input without copying; the library
// copies what it keeps and holds no pointer after the call returns.
func text(b []byte) (*C.char, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	return (*C.char)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// takeBuffer copies a library-owned document into Go memory and releases it.
func takeBuffer(buf *C.podalloc_buffer) []byte {
	defer C.podalloc_buffer_free(buf)
	if buf.data == nil {
		return []byte{}
	}
	return C.GoBytes(unsafe.Pointer(buf.data), C.int(buf.size))
}
