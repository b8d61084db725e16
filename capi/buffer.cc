// File: capi/buffer.cc
// Library-owned documents handed to the caller. The bytes come from operator new[] and go
// back through podalloc_buffer_free only, so a caller never mixes allocators.

#include "buffer.h"

#include <cstring>

namespace podalloc::capi {

void FillBuffer(podalloc_buffer* out, std::string_view text) {
  char* data = new char[text.size() + 1];
  if (!text.empty()) std::memcpy(data, text.data(), text.size());
  data[text.size()] = '\0';
  out->data = data;
  out->size = text.size();
}

}  // namespace podalloc::capi

extern "C" PODALLOC_API void podalloc_buffer_free(podalloc_buffer* buf) noexcept {
  if (buf == nullptr) return;
  delete[] buf->data;
  buf->data = nullptr;
  buf->size = 0;
}
