// Which resource names resource fit looks at (pkg/apis/core/v1/helper/helpers.go and
// pkg/scheduler/util): extended resources are recognised by their syntax, the way the API
// server's validation of "requests.<name>" quota names decides them.
#include <string>
#include <string_view>

#include "podalloc/resource_fit.h"

namespace podalloc {
namespace {

constexpr std::string_view kNativePrefix = "kubernetes.io/";
constexpr std::string_view kRequestsPrefix = "requests.";
constexpr std::string_view kAttachableVolumesPrefix = "attachable-volumes-";

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// The name part of a qualified name: 1-63 characters of [-._a-zA-Z0-9], alphanumeric at
// both ends.
bool IsQualifiedNamePart(std::string_view s) {
  if (s.empty() || s.size() > 63 || !IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  for (char c : s) {
    if (!IsAlnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

// A DNS-1123 subdomain: at most 253 characters, dot-separated labels of lowercase
// alphanumerics and '-', each starting and ending alphanumeric.
bool IsDnsSubdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  size_t start = 0;
  while (start <= s.size()) {
    const size_t dot = s.find('.', start);
    const std::string_view label =
        s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || !IsLowerAlnum(label.front()) || !IsLowerAlnum(label.back())) return false;
    for (char c : label) {
      if (!IsLowerAlnum(c) && c != '-') return false;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

// validation.IsQualifiedName: [prefix/]name.
bool IsQualifiedName(std::string_view s) {
  const size_t slash = s.find('/');
  if (slash == std::string_view::npos) return IsQualifiedNamePart(s);
  if (s.find('/', slash + 1) != std::string_view::npos) return false;
  return IsDnsSubdomain(s.substr(0, slash)) && IsQualifiedNamePart(s.substr(slash + 1));
}

bool IsPrefixedNativeResource(std::string_view name) {
  return name.find(kNativePrefix) != std::string_view::npos;
}

bool IsNativeResource(std::string_view name) {
  return name.find('/') == std::string_view::npos || IsPrefixedNativeResource(name);
}

}  // namespace

bool IsExtendedResourceName(std::string_view name) {
  if (IsNativeResource(name) || StartsWith(name, kRequestsPrefix)) return false;
  std::string quota_name(kRequestsPrefix);
  quota_name.append(name);
  return IsQualifiedName(quota_name);
}

bool IsScalarResourceName(std::string_view name) {
  return IsExtendedResourceName(name) || IsHugepagesResource(name) ||
         IsPrefixedNativeResource(name) || StartsWith(name, kAttachableVolumesPrefix);
}

}  // namespace podalloc
