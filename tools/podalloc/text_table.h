// A plain-text table whose column widths come from its content, as kubectl prints: each cell
// padded to the widest cell of its column, columns separated by at least two spaces, nothing
// truncated, so a long container name or a 200-CPU cpuset never runs into the next column.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace podalloc::cli {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header);

  // A row of exactly as many cells as the header (missing cells print as "-", extra cells are
  // a programming error and dropped). An empty cell prints as "-" so every column of every row
  // holds a word and the table can be read back by columns.
  void AddRow(std::vector<std::string> cells);

  // Header then rows, each line starting with `indent`; the last column is not padded.
  void Print(std::ostream& out, std::string_view indent) const;

  size_t row_count() const { return rows_.size(); }

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// A byte count as a Kubernetes quantity ("8Gi", "1536Mi", "1000"): the binary suffix when the
// count is a whole number of KiB, else the plain number. Values that are not numbers ("max")
// are returned as they are.
std::string BytesText(std::string_view bytes);

}  // namespace podalloc::cli
