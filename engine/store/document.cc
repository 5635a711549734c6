// YAML and JSON documents (yaml-cpp adapter).
#include "store/document.h"

#include <yaml-cpp/yaml.h>

#include <regex>

namespace rgs::store {
namespace {

bool IsNullWord(const std::string& s) { return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL"; }
bool IsTrueWord(const std::string& s) { return s == "true" || s == "True" || s == "TRUE"; }
bool IsFalseWord(const std::string& s) { return s == "false" || s == "False" || s == "FALSE"; }

bool IsIntWord(const std::string& s) {
  static const std::regex re("[-+]?[0-9]+");
  return std::regex_match(s, re);
}
bool IsFloatWord(const std::string& s) {
  static const std::regex re("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
  return std::regex_match(s, re);
}

std::string Child(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

Status Convert(const YAML::Node& node, const std::string& path, Json* out, Positions* positions, int depth) {
  if (depth > 200) return Invalid("the document is nested too deeply");
  if (positions) positions->emplace(path, Position{node.Mark().line + 1, node.Mark().column + 1});
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      *out = nullptr;
      return Status::Ok();
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") {   // quoted: always a string
        *out = s;
      } else if (IsNullWord(s)) {
        *out = nullptr;
      } else if (IsTrueWord(s)) {
        *out = true;
      } else if (IsFalseWord(s)) {
        *out = false;
      } else if (IsIntWord(s)) {
        try {
          *out = std::stoll(s);
        } catch (const std::exception&) {
          *out = s;   // too large for an integer: left as text, the reader will refuse it
        }
      } else if (IsFloatWord(s)) {
        *out = node.as<double>();
      } else {
        *out = s;
      }
      return Status::Ok();
    }
    case YAML::NodeType::Sequence: {
      *out = Json::array();
      for (size_t i = 0; i < node.size(); ++i) {
        Json item;
        RGS_RETURN_IF_ERROR(Convert(node[i], path + "[" + std::to_string(i) + "]", &item, positions, depth + 1));
        out->push_back(std::move(item));
      }
      return Status::Ok();
    }
    case YAML::NodeType::Map: {
      *out = Json::object();
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (!it->first.IsScalar()) return Invalid("a property name is not a plain word");
        const std::string key = it->first.Scalar();
        if (out->contains(key))
          return Invalid("line " + std::to_string(it->first.Mark().line + 1) + ": property '" + key +
                         "' is given twice");
        Json value;
        RGS_RETURN_IF_ERROR(Convert(it->second, Child(path, key), &value, positions, depth + 1));
        if (positions) (*positions)[Child(path, key)] = {it->first.Mark().line + 1, it->first.Mark().column + 1};
        (*out)[key] = std::move(value);
      }
      return Status::Ok();
    }
  }
  return Status::Ok();
}

bool NeedsQuotes(const std::string& s) {
  return IsNullWord(s) || IsTrueWord(s) || IsFalseWord(s) || IsIntWord(s) || IsFloatWord(s) || s == "yes" ||
         s == "no" || s == "on" || s == "off" || s == "y" || s == "n";
}

void Emit(YAML::Emitter& e, const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      e << YAML::Null;
      break;
    case Json::value_t::boolean:
      e << v.get<bool>();
      break;
    case Json::value_t::number_integer:
      e << v.get<long long>();
      break;
    case Json::value_t::number_unsigned:
      e << v.get<unsigned long long>();
      break;
    case Json::value_t::number_float:
      e << v.get<double>();
      break;
    case Json::value_t::string: {
      const std::string& s = v.get_ref<const std::string&>();
      if (NeedsQuotes(s)) e << YAML::DoubleQuoted;
      e << s;
      break;
    }
    case Json::value_t::array:
      if (v.empty()) {
        e << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
        break;
      }
      e << YAML::BeginSeq;
      for (const auto& x : v) Emit(e, x);
      e << YAML::EndSeq;
      break;
    case Json::value_t::object:
      if (v.empty()) {
        e << YAML::Flow << YAML::BeginMap << YAML::EndMap;
        break;
      }
      e << YAML::BeginMap;
      for (auto it = v.begin(); it != v.end(); ++it) {
        e << YAML::Key << it.key() << YAML::Value;
        Emit(e, it.value());
      }
      e << YAML::EndMap;
      break;
    default:
      e << YAML::Null;
  }
}

}  // namespace

Result<Json> ParseDocument(const std::string& text, const std::string& source, Positions* positions) {
  try {
    YAML::Node root = YAML::Load(text);
    Json out;
    Status s = Convert(root, "", &out, positions, 0);
    if (!s.ok()) return Invalid(source + ": " + s.message());
    return out;
  } catch (const YAML::Exception& e) {
    return Invalid(source + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                   ": not valid YAML or JSON: " + e.msg);
  }
}

std::string Locate(const std::string& source, const Positions& positions, const std::string& path) {
  std::string p = path;
  while (true) {
    auto it = positions.find(p);
    if (it != positions.end())
      return source + ":" + std::to_string(it->second.line) + ":" + std::to_string(it->second.column) + ": ";
    if (p.empty()) return source + ": ";
    size_t cut = p.find_last_of(".[");
    p = cut == std::string::npos ? "" : p.substr(0, cut);
  }
}

std::string EmitYaml(const Json& value) {
  YAML::Emitter e;
  e.SetNullFormat(YAML::LowerNull);
  e.SetIndent(2);
  Emit(e, value);
  std::string out = e.c_str();
  if (out.empty() || out.back() != '\n') out += "\n";
  return out;
}

}  // namespace rgs::store
