package podalloc

// #include <stdint.h>
// #include <podalloc/podalloc.h>
import "C"

import (
	"fmt"
	"runtime/cgo"
	"unsafe"
)

// podallocGoPreferredAllocation is the C callback behind SetDevicePreferredAllocation: it finds
// the Go function by the handle user_data points to, and answers with indices into available.
//
//export podallocGoPreferredAllocation
func podallocGoPreferredAllocation(user unsafe.Pointer, resource C.podalloc_text,
	available *C.podalloc_text, availableCount C.size_t, must *C.podalloc_text,
	mustCount C.size_t, size C.size_t, chosen *C.size_t, capacity C.size_t,
	chosenCount *C.size_t, message *C.char, messageCapacity C.size_t) (rc C.int) {
	// A panic must not unwind through the library's frames: it is the plugin failing.
	defer func() {
		if r := recover(); r != nil {
			writeMessage(message, messageCapacity, fmt.Sprint("panic: ", r))
			rc = 2
		}
	}()
	fn := cgo.Handle(*(*C.uintptr_t)(user)).Value().(PreferredAllocation)
	offered := goTexts(available, availableCount)
	ids, err := fn(goText(resource), offered, goTexts(must, mustCount), int(size))
	if err != nil {
		writeMessage(message, messageCapacity, err.Error())
		return 1
	}
	index := make(map[string]int, len(offered))
	for i, id := range offered {
		index[id] = i
	}
	out := unsafe.Slice(chosen, int(capacity))
	n := 0
	for _, id := range ids {
		if i, ok := index[id]; ok && n < len(out) {
			out[n] = C.size_t(i)
			n++
		}
	}
	*chosenCount = C.size_t(n)
	return 0
}

// writeMessage copies text, cut to fit, NUL-terminated, into the library's buffer.
func writeMessage(buf *C.char, capacity C.size_t, text string) {
	if buf == nil || capacity == 0 {
		return
	}
	out := unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(capacity))
	n := copy(out[:len(out)-1], text)
	out[n] = 0
}

func goText(t C.podalloc_text) string { return C.GoStringN(t.data, C.int(t.size)) }

func goTexts(list *C.podalloc_text, count C.size_t) []string {
	if count == 0 {
		return nil
	}
	out := make([]string, 0, int(count))
	for _, t := range unsafe.Slice(list, int(count)) {
		out = append(out, goText(t))
	}
	return out
}
