#include "text_table.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "podalloc/quantity.h"

namespace podalloc::cli {

TextTable::TextTable(std::vector<std::string> header) : header_(std::move(header)) {}

void TextTable::AddRow(std::vector<std::string> cells) {
  cells.resize(header_.size());
  for (std::string& c : cells) {
    if (c.empty()) c = "-";
  }
  rows_.push_back(std::move(cells));
}

void TextTable::Print(std::ostream& out, std::string_view indent) const {
  std::vector<size_t> width(header_.size());
  for (size_t i = 0; i < header_.size(); ++i) width[i] = header_[i].size();
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    out << indent;
    for (size_t i = 0; i < cells.size(); ++i) {
      out << cells[i];
      if (i + 1 < cells.size()) out << std::string(width[i] - cells[i].size() + 2, ' ');
    }
    out << "\n";
  };
  line(header_);
  for (const auto& row : rows_) line(row);
}

std::string BytesText(std::string_view bytes) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(bytes.data(), bytes.data() + bytes.size(), value);
  if (ec != std::errc() || end != bytes.data() + bytes.size() || value < 0) {
    return std::string(bytes);
  }
  return Quantity::FromValue(value, Quantity::Format::kBinarySI).ToString();
}

}  // namespace podalloc::cli
