// YAML and JSON documents: read with libyaml's event parser (fast, and with positions), written
// with yaml-cpp's emitter.
#include "store/document.h"

#include <yaml-cpp/yaml.h>
#include <yaml.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace rgs::store {
namespace {

bool IsNullWord(const std::string& s) { return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL"; }
bool IsTrueWord(const std::string& s) { return s == "true" || s == "True" || s == "TRUE"; }
bool IsFalseWord(const std::string& s) { return s == "false" || s == "False" || s == "FALSE"; }

bool Digits(const std::string& s, size_t* i) {
  size_t from = *i;
  while (*i < s.size() && s[*i] >= '0' && s[*i] <= '9') ++*i;
  return *i > from;
}
void Sign(const std::string& s, size_t* i) {
  if (*i < s.size() && (s[*i] == '-' || s[*i] == '+')) ++*i;
}
// [-+]?[0-9]+
bool IsIntWord(const std::string& s) {
  size_t i = 0;
  Sign(s, &i);
  return Digits(s, &i) && i == s.size();
}
bool IsInfWord(const std::string& s) {
  size_t i = 0;
  Sign(s, &i);
  return s.compare(i, std::string::npos, ".inf") == 0 || s.compare(i, std::string::npos, ".Inf") == 0 ||
         s.compare(i, std::string::npos, ".INF") == 0;
}
bool IsNanWord(const std::string& s) { return s == ".nan" || s == ".NaN" || s == ".NAN"; }
// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, an infinity or not-a-number
bool IsFloatWord(const std::string& s) {
  if (IsInfWord(s) || IsNanWord(s)) return true;
  size_t i = 0;
  Sign(s, &i);
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!Digits(s, &i)) return false;
  } else {
    if (!Digits(s, &i)) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      Digits(s, &i);
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    Sign(s, &i);
    if (!Digits(s, &i)) return false;
  }
  return i == s.size();
}
double FloatOf(const std::string& s) {
  if (IsNanWord(s)) return std::numeric_limits<double>::quiet_NaN();
  if (IsInfWord(s))
    return s[0] == '-' ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  return std::strtod(s.c_str(), nullptr);
}

std::string Child(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }
const char* Text(const yaml_char_t* s) { return reinterpret_cast<const char*>(s); }

// A plain scalar gets its type from its spelling (YAML's core schema); a quoted or block one, or
// one tagged !!str, stays text.
Json Scalar(const yaml_event_t& ev) {
  std::string s(Text(ev.data.scalar.value), ev.data.scalar.length);
  const char* tag = Text(ev.data.scalar.tag);
  if (ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
      (tag && (std::strcmp(tag, "!") == 0 || std::strcmp(tag, YAML_STR_TAG) == 0)))
    return s;
  if (IsNullWord(s)) return nullptr;
  if (IsTrueWord(s)) return true;
  if (IsFalseWord(s)) return false;
  if (IsIntWord(s)) {
    errno = 0;
    long long v = std::strtoll(s.c_str(), nullptr, 10);
    if (errno == ERANGE) return s;  // too large for an integer: left as text, the reader will refuse it
    return v;
  }
  if (IsFloatWord(s)) return FloatOf(s);
  return s;
}

// Builds JSON values straight from libyaml's event stream (no node tree in between), recording
// where every property stands. Anchors and aliases are honoured, with a bound on what aliases
// may copy, so that a small hostile document cannot expand without limit.
class EventReader {
 public:
  EventReader(const std::string& text, Positions* positions) : positions_(positions) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  }
  ~EventReader() {
    if (have_) yaml_event_delete(&ev_);
    yaml_parser_delete(&parser_);
  }
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  // The one document of the stream (null when there is none).
  Status Document(Json* out) {
    RGS_RETURN_IF_ERROR(Next());  // the stream's start
    RGS_RETURN_IF_ERROR(Next());
    if (ev_.type == YAML_STREAM_END_EVENT) {
      *out = nullptr;
      if (positions_) positions_->emplace("", Position{1, 1});
      return Status::Ok();
    }
    RGS_RETURN_IF_ERROR(Next());  // past the document's start
    RGS_RETURN_IF_ERROR(Node("", out, 0));
    // A file holds one object: a second document would be silently dropped, so it is refused.
    RGS_RETURN_IF_ERROR(Next());  // past the document's end
    if (ev_.type == YAML_DOCUMENT_START_EVENT)
      return Invalid(Line() + "a second YAML document begins here; a file holds one document");
    return Status::Ok();
  }

  // "line:column: what" of a syntax error; empty when the error was of another kind.
  const std::string& SyntaxError() const { return syntax_; }

 private:
  Status Next() {
    if (have_) yaml_event_delete(&ev_);
    have_ = yaml_parser_parse(&parser_, &ev_) != 0;
    if (!have_) {
      const yaml_mark_t& m = parser_.problem_mark;
      syntax_ = std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) +
                ": not valid YAML or JSON: " + (parser_.problem ? parser_.problem : "unreadable") +
                (parser_.context ? std::string(" ") + parser_.context : std::string());
      return Invalid(syntax_);
    }
    return Status::Ok();
  }

  Position Here() const { return Position{int(ev_.start_mark.line) + 1, int(ev_.start_mark.column) + 1}; }
  std::string Line() const { return "line " + std::to_string(Here().line) + ": "; }

  // The anchor of the current event ("" when it has none), kept past the event.
  std::string Anchor() const {
    const yaml_char_t* a = ev_.type == YAML_SCALAR_EVENT           ? ev_.data.scalar.anchor
                           : ev_.type == YAML_SEQUENCE_START_EVENT ? ev_.data.sequence_start.anchor
                           : ev_.type == YAML_MAPPING_START_EVENT  ? ev_.data.mapping_start.anchor
                                                                   : nullptr;
    return a ? Text(a) : "";
  }
  void Remember(const std::string& anchor, const Json& value, size_t nodes) {
    if (!anchor.empty()) anchors_[anchor] = {value, nodes};
  }

  // Reads the node whose first event is current; leaves the event after it current.
  Status Node(const std::string& path, Json* out, int depth) {
    if (depth > 200) return Invalid("the document is nested too deeply");
    if (positions_) positions_->emplace(path, Here());
    switch (ev_.type) {
      case YAML_ALIAS_EVENT: {
        auto it = anchors_.find(Text(ev_.data.alias.anchor));
        if (it == anchors_.end()) return Invalid(Line() + "alias *" + Text(ev_.data.alias.anchor) + " names no anchor");
        copied_ += it->second.second;
        nodes_ += it->second.second;  // so that an anchor holding this alias counts what it holds
        if (copied_ > kMaxAliasCopies) return Invalid(Line() + "aliases expand the document too far");
        *out = it->second.first;
        return Next();
      }
      case YAML_SCALAR_EVENT:
        *out = Scalar(ev_);
        ++nodes_;
        Remember(Anchor(), *out, 1);
        return Next();
      case YAML_SEQUENCE_START_EVENT: {
        std::string anchor = Anchor();
        size_t before = nodes_++;
        *out = Json::array();
        RGS_RETURN_IF_ERROR(Next());
        for (size_t i = 0; ev_.type != YAML_SEQUENCE_END_EVENT; ++i) {
          Json item;
          RGS_RETURN_IF_ERROR(Node(positions_ ? path + "[" + std::to_string(i) + "]" : path, &item, depth + 1));
          out->push_back(std::move(item));
        }
        Remember(anchor, *out, nodes_ - before);
        return Next();
      }
      case YAML_MAPPING_START_EVENT: {
        std::string anchor = Anchor();
        size_t before = nodes_++;
        *out = Json::object();
        RGS_RETURN_IF_ERROR(Next());
        while (ev_.type != YAML_MAPPING_END_EVENT) {
          if (ev_.type != YAML_SCALAR_EVENT) return Invalid("a property name is not a plain word");
          std::string key(Text(ev_.data.scalar.value), ev_.data.scalar.length);
          Position at = Here();
          if (out->contains(key)) return Invalid(Line() + "property '" + key + "' is given twice");
          RGS_RETURN_IF_ERROR(Next());
          std::string child = positions_ ? Child(path, key) : std::string();  // paths only for positions
          Json value;
          RGS_RETURN_IF_ERROR(Node(child, &value, depth + 1));
          if (positions_) (*positions_)[child] = at;
          (*out)[key] = std::move(value);
        }
        Remember(anchor, *out, nodes_ - before);
        return Next();
      }
      default: return Invalid(Line() + "unexpected YAML event");
    }
  }

  static constexpr size_t kMaxAliasCopies = 1000000;
  yaml_parser_t parser_;
  yaml_event_t ev_{};
  bool have_ = false;
  Positions* positions_;
  std::map<std::string, std::pair<Json, size_t>> anchors_;  // value, and how many nodes it holds
  size_t nodes_ = 0;
  size_t copied_ = 0;
  std::string syntax_;
};

bool NeedsQuotes(const std::string& s) {
  return IsNullWord(s) || IsTrueWord(s) || IsFalseWord(s) || IsIntWord(s) || IsFloatWord(s) || s == "yes" ||
         s == "no" || s == "on" || s == "off" || s == "y" || s == "n";
}

void Emit(YAML::Emitter& e, const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: e << YAML::Null; break;
    case Json::value_t::boolean: e << v.get<bool>(); break;
    case Json::value_t::number_integer: e << v.get<long long>(); break;
    case Json::value_t::number_unsigned: e << v.get<unsigned long long>(); break;
    case Json::value_t::number_float: e << v.get<double>(); break;
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
    default: e << YAML::Null;
  }
}

}  // namespace

Result<Json> ParseDocument(const std::string& text, const std::string& source, Positions* positions) {
  EventReader reader(text, positions);
  Json out;
  Status s = reader.Document(&out);
  if (!s.ok()) {
    if (!reader.SyntaxError().empty()) return Invalid(source + ":" + reader.SyntaxError());
    return Invalid(source + ": " + s.message());
  }
  return out;
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

std::string LazyLocator::operator()(const std::string& path) {
  if (!parsed_) {
    parsed_ = true;
    (void)ParseDocument(text_, source_, &positions_);
  }
  return Locate(source_, positions_, path);
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
