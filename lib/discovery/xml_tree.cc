#include "xml_tree.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <climits>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "file_text.h"

namespace podalloc::internal {
namespace {

absl::Status Refused(const std::string& what, long line, absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat(what, ": line ", line, ": ", problem));
}

bool IsWhitespace(const xmlChar* text) {
  for (; text != nullptr && *text != 0; ++text) {
    if (*text != ' ' && *text != '\t' && *text != '\n' && *text != '\r') return false;
  }
  return true;
}

const char* NodeKind(xmlElementType type) {
  switch (type) {
    case XML_CDATA_SECTION_NODE: return "a CDATA section";
    case XML_ENTITY_REF_NODE: return "an entity reference";
    case XML_PI_NODE: return "a processing instruction";
    default: return "an unexpected XML node";
  }
}

// Silences libxml2's generic error channel (stderr by default) on this thread while it lives:
// a library reports through its return values, and some libxml2 errors (encoding conversion)
// bypass the parser options. libxml2 keeps the channel per thread.
class QuietErrors {
 public:
  QuietErrors() : handler_(xmlGenericError), context_(xmlGenericErrorContext) {
    xmlSetGenericErrorFunc(nullptr, &Ignore);
  }
  ~QuietErrors() { xmlSetGenericErrorFunc(context_, handler_); }
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  static void Ignore(void*, const char*, ...) {}
  xmlGenericErrorFunc handler_;
  void* context_;
};

// Where a node sits, for nodes that have no line of their own.
long LineOf(const xmlNode* node) {
  long line = xmlGetLineNo(node);
  return line > 0 ? line : (node->parent != nullptr ? xmlGetLineNo(node->parent) : 0);
}

}  // namespace

absl::string_view XmlElement::name() const {
  return reinterpret_cast<const char*>(node_->name);
}

long XmlElement::line() const { return LineOf(node_); }

std::vector<std::pair<std::string, std::string>> XmlElement::Attributes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const xmlAttr* attr = node_->properties; attr != nullptr; attr = attr->next) {
    std::string value;
    for (const xmlNode* part = attr->children; part != nullptr; part = part->next) {
      if (part->content != nullptr) value += reinterpret_cast<const char*>(part->content);
    }
    out.emplace_back(reinterpret_cast<const char*>(attr->name), std::move(value));
  }
  return out;
}

absl::StatusOr<std::vector<XmlElement>> XmlElement::Children(const std::string& what) const {
  std::vector<XmlElement> out;
  for (const xmlNode* child = node_->children; child != nullptr; child = child->next) {
    switch (child->type) {
      case XML_ELEMENT_NODE:
        out.emplace_back(child);
        break;
      case XML_COMMENT_NODE:
        break;
      case XML_TEXT_NODE:
        if (!IsWhitespace(child->content)) {
          return Refused(what, LineOf(child),
                         absl::StrCat("<", name(), "> holds text ",
                                      QuotedExcerpt(reinterpret_cast<const char*>(child->content)),
                                      "; only elements belong there"));
        }
        break;
      default:
        return Refused(what, LineOf(child),
                       absl::StrCat(NodeKind(child->type), " in <", name(), "> is not accepted"));
    }
  }
  return out;
}

absl::StatusOr<std::string> XmlElement::Text(const std::string& what) const {
  std::string text;
  for (const xmlNode* child = node_->children; child != nullptr; child = child->next) {
    if (child->type == XML_TEXT_NODE) {
      if (child->content != nullptr) text += reinterpret_cast<const char*>(child->content);
    } else if (child->type == XML_ELEMENT_NODE) {
      return Refused(what, LineOf(child),
                     absl::StrCat("<", name(), "> holds text only, not <",
                                  reinterpret_cast<const char*>(child->name), ">"));
    } else if (child->type != XML_COMMENT_NODE) {
      return Refused(what, LineOf(child),
                     absl::StrCat(NodeKind(child->type), " in <", name(), "> is not accepted"));
    }
  }
  return text;
}

void XmlDocument::Free::operator()(_xmlDoc* doc) const { xmlFreeDoc(doc); }

XmlElement XmlDocument::root() const { return XmlElement(xmlDocGetRootElement(doc_.get())); }

absl::StatusOr<XmlDocument> XmlDocument::Parse(absl::string_view text, const std::string& what) {
  // libxml2 asks for its global initialisation to happen once before threads parse.
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });
  if (text.size() > static_cast<size_t>(INT_MAX)) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", text.size(), " bytes is too large"));
  }
  // Entity declarations are refused before parsing: hwloc never writes them, and declared
  // entities are how XML documents expand to gigabytes.
  if (size_t at = text.find("<!ENTITY"); at != absl::string_view::npos) {
    long line = 1 + static_cast<long>(std::count(text.begin(), text.begin() + at, '\n'));
    return Refused(what, line, "entity declarations are not accepted");
  }
  QuietErrors quiet;
  std::unique_ptr<xmlParserCtxt, void (*)(xmlParserCtxtPtr)> context(xmlNewParserCtxt(),
                                                                     xmlFreeParserCtxt);
  if (context == nullptr) return absl::ResourceExhaustedError("libxml2: no parser context");
  // No network, no DTD loading, no entity substitution, no output on stderr; line numbers
  // beyond 65535 kept.
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                      XML_PARSE_BIG_LINES;
  xmlDocPtr doc = xmlCtxtReadMemory(context.get(), text.data(), static_cast<int>(text.size()),
                                    nullptr, nullptr, options);
  std::unique_ptr<_xmlDoc, Free> owned(doc);
  const xmlError* error = xmlCtxtGetLastError(context.get());
  if (doc == nullptr || !context->wellFormed ||
      (error != nullptr && error->level >= XML_ERR_ERROR)) {
    std::string message = error != nullptr && error->message != nullptr
                              ? std::string(error->message)
                              : std::string("not well-formed XML");
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
      message.pop_back();
    }
    std::replace(message.begin(), message.end(), '\n', ' ');  // one line per message
    return Refused(what, error != nullptr ? error->line : 0,
                   absl::StrCat("not well-formed XML: ", message));
  }
  if (doc->intSubset != nullptr && doc->intSubset->children != nullptr) {
    return Refused(what, LineOf(reinterpret_cast<const xmlNode*>(doc->intSubset)),
                   "declarations inside <!DOCTYPE> are not accepted");
  }
  for (const xmlNode* node = doc->children; node != nullptr; node = node->next) {
    if (node->type == XML_PI_NODE) return Refused(what, LineOf(node), NodeKind(node->type));
  }
  const xmlNode* root = xmlDocGetRootElement(doc);
  if (root == nullptr) return Refused(what, 1, "no root element");
  // Namespaces have no place in hwloc's format; an element or attribute in one would be
  // matched by its local name only.
  for (const xmlNode* node = root; node != nullptr;) {
    if (node->type == XML_ELEMENT_NODE) {
      if (node->ns != nullptr || node->nsDef != nullptr) {
        return Refused(what, LineOf(node), "XML namespaces are not accepted");
      }
      for (const xmlAttr* attr = node->properties; attr != nullptr; attr = attr->next) {
        if (attr->ns != nullptr) {
          return Refused(what, LineOf(node), "XML namespaces are not accepted");
        }
      }
    }
    // Depth-first walk without recursion.
    if (node->type == XML_ELEMENT_NODE && node->children != nullptr) {
      node = node->children;
      continue;
    }
    while (node != root && node->next == nullptr) node = node->parent;
    node = node == root ? nullptr : node->next;
  }
  return XmlDocument(owned.release());
}

}  // namespace podalloc::internal
