// Reading YAML or JSON documents into JSON values with the position of every property, and
// writing JSON values as YAML. The one place rgs reads or writes YAML documents (libyaml reads,
// yaml-cpp writes).
#pragma once

#include <map>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace rgs::store {

struct Position {
  int line = 0;    // 1-based
  int column = 0;  // 1-based
};

// Where each property of a parsed document stands: "" is the document itself,
// "TimeoutAction.Prompt" a nested one, "AgentsByUri[2]" a list item.
using Positions = std::map<std::string, Position>;

// Parses YAML (JSON is accepted as YAML): one document. kInvalid with "source:line:column: what"
// on a syntax error, "source: line N: what" for a second document and other errors.
Result<Json> ParseDocument(const std::string& text, const std::string& source, Positions* positions);

// "source:line:column: " for the property path, or its nearest parent that has a position.
std::string Locate(const std::string& source, const Positions& positions, const std::string& path);

// Locate for a document whose positions are found only when first asked for, by parsing it again:
// reading a large valid document does not pay for them. `text` must outlive the locator.
class LazyLocator {
 public:
  LazyLocator(const std::string& text, std::string source) : text_(text), source_(std::move(source)) {}
  std::string operator()(const std::string& path);

 private:
  const std::string& text_;
  std::string source_;
  bool parsed_ = false;
  Positions positions_;
};

// YAML text of a JSON value: key order kept, strings that would read back as another type quoted.
std::string EmitYaml(const Json& value);

}  // namespace rgs::store
