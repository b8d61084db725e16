// The one place the node module reads a file: a KubeletConfiguration named by path, read whole
// as the kubelet's configfiles loader does, with its error texts.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "podalloc/kubelet_config.h"

namespace podalloc {

absl::StatusOr<KubeletConfiguration> LoadKubeletConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    const std::string text = absl::StrCat("failed to read kubelet config file \"", path,
                                          "\", error: open ", path, ": ", std::strerror(err));
    return err == ENOENT ? absl::NotFoundError(text) : absl::InvalidArgumentError(text);
  }
  std::ostringstream data;
  data << in.rdbuf();
  if (in.bad()) {
    return absl::InvalidArgumentError(
        absl::StrCat("failed to read kubelet config file \"", path, "\", error: read failed"));
  }
  const std::string text = data.str();
  if (text.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("kubelet config file \"", path, "\" was empty"));
  }
  // The kubelet makes the file name absolute first, so relative paths inside resolve against
  // the file's directory whatever the working directory later is.
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  if (ec) absolute = path;
  return DecodeKubeletConfiguration(text, absolute.parent_path().lexically_normal().string());
}

}  // namespace podalloc
