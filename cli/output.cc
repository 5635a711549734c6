// Printing results: list (PowerShell's "Name : Value" blocks), table, json, yaml and csv.
#include <strings.h>

#include <algorithm>

#include "cli/context.h"
#include "store/codec.h"
#include "store/document.h"

namespace rgs::cli {
namespace {

using store::Json;

// One line of text for a value in list, table and csv output.
std::string Flat(const Json& v, bool top = true) {
  switch (v.type()) {
    case Json::value_t::null: return "";
    case Json::value_t::boolean: return v.get<bool>() ? "True" : "False";
    case Json::value_t::string: return v.get<std::string>();
    case Json::value_t::array: {
      std::string out = "{";
      for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + Flat(v[i], false);
      return out + "}";
    }
    case Json::value_t::object: {
      std::string out = top ? "" : "(";
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (it.value().is_null()) continue;
        out += (first ? "" : "; ") + it.key() + "=" + Flat(it.value(), false);
        first = false;
      }
      return out + (top ? "" : ")");
    }
    default: return v.dump();
  }
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::vector<std::string> Columns(const std::vector<Json>& objects) {
  std::vector<std::string> cols;
  for (const auto& o : objects)
    for (auto it = o.begin(); it != o.end(); ++it)
      if (std::find(cols.begin(), cols.end(), it.key()) == cols.end()) cols.push_back(it.key());
  return cols;
}

void PrintList(std::ostream& out, const std::vector<Json>& objects) {
  bool first = true;
  for (const auto& o : objects) {
    if (!first) out << "\n";
    first = false;
    size_t width = 0;
    for (auto it = o.begin(); it != o.end(); ++it) width = std::max(width, it.key().size());
    for (auto it = o.begin(); it != o.end(); ++it)
      out << it.key() << std::string(width - it.key().size(), ' ') << " : " << Flat(it.value()) << "\n";
  }
}

// Display columns of UTF-8 text: one per character (a continuation byte starts none).
size_t DisplayWidth(const std::string& s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

// `s` cut to `width` columns, its last one an ellipsis when anything was cut.
std::string Truncated(const std::string& s, size_t width) {
  if (DisplayWidth(s) <= width) return s;
  std::string out;
  size_t n = 0;
  for (char c : s) {
    bool starts = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (starts && ++n == width) break;
    out += c;
  }
  return width == 0 ? "" : out + "\u2026";
}

// Narrows the widest columns until a line fits in `limit` columns (0: no limit): every column
// keeps at least a few characters, so a line that cannot fit even so runs over.
void FitWidths(std::vector<size_t>& width, size_t limit) {
  constexpr size_t kGap = 2, kNarrowest = 4;
  auto total = [&](size_t cap) {
    size_t sum = kGap * (width.empty() ? 0 : width.size() - 1);
    for (size_t w : width) sum += std::min(w, cap);
    return sum;
  };
  size_t widest = width.empty() ? 0 : *std::max_element(width.begin(), width.end());
  if (limit == 0 || total(widest) <= limit) return;
  size_t cap = kNarrowest;
  while (cap < widest && total(cap + 1) <= limit) ++cap;
  size_t spare = limit > total(cap) ? limit - total(cap) : 0;
  for (size_t& w : width) {
    if (w <= cap) continue;
    size_t extra = std::min(spare, w - cap);  // what the cap left over goes to the first cut columns
    w = cap + extra;
    spare -= extra;
  }
}

void PrintTable(std::ostream& out, const std::vector<Json>& objects, size_t limit) {
  auto cols = Columns(objects);
  std::vector<size_t> width;
  for (const auto& c : cols) width.push_back(DisplayWidth(c));
  std::vector<std::vector<std::string>> rows;
  for (const auto& o : objects) {
    std::vector<std::string> row;
    for (size_t i = 0; i < cols.size(); ++i) {
      std::string cell = o.contains(cols[i]) ? Flat(o[cols[i]]) : "";
      std::replace(cell.begin(), cell.end(), '\n', ' ');
      width[i] = std::max(width[i], DisplayWidth(cell));
      row.push_back(std::move(cell));
    }
    rows.push_back(std::move(row));
  }
  FitWidths(width, limit);
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (size_t i = 0; i < cells.size(); ++i) {
      std::string cell = Truncated(cells[i], width[i]);
      s += cell + (i + 1 < cells.size() ? std::string(width[i] - DisplayWidth(cell) + 2, ' ') : "");
    }
    out << s << "\n";
  };
  line(cols);
  std::vector<std::string> rule;
  for (size_t w : width) rule.push_back(std::string(w, '-'));
  line(rule);
  for (const auto& r : rows) line(r);
}

void PrintCsvHeader(std::ostream& out, const std::vector<std::string>& cols) {
  for (size_t i = 0; i < cols.size(); ++i) out << (i ? "," : "") << CsvField(cols[i]);
  out << "\r\n";
}

void PrintCsvRow(std::ostream& out, const std::vector<std::string>& cols, const Json& o) {
  for (size_t i = 0; i < cols.size(); ++i) {
    const Json& v = o.contains(cols[i]) ? o[cols[i]] : Json();
    std::string cell;
    if (v.is_array() && std::all_of(v.begin(), v.end(), [](const Json& x) { return x.is_string(); })) {
      for (size_t k = 0; k < v.size(); ++k) cell += (k ? ";" : "") + v[k].get<std::string>();
    } else if (v.is_object() || v.is_array()) {
      cell = v.dump();
    } else {
      cell = Flat(v);
    }
    out << (i ? "," : "") << CsvField(cell);
  }
  out << "\r\n";
}

const char* OpName(store::Change::Op op) {
  switch (op) {
    case store::Change::Op::kAdded: return "Added";
    case store::Change::Op::kRemoved: return "Removed";
    case store::Change::Op::kChanged: return "Changed";
  }
  return "?";
}

// A changed document as get-* would show it (references as identities), or as stored.
Json Shown(Context& ctx, const store::Change& c, const Json& doc) {
  if (doc.is_null() || !ctx.catalog) return doc;
  auto shown = ctx.catalog->Present(store::Object{c.kind, c.guid, c.name, doc});
  return shown.ok() ? *shown : doc;
}

}  // namespace

namespace {

// clang-format off
constexpr std::pair<Format, const char*> kFormats[] = {
    {Format::kList, "list"}, {Format::kTable, "table"}, {Format::kJson, "json"}, {Format::kYaml, "yaml"},
    {Format::kCsv, "csv"},
};
// clang-format on

}  // namespace

std::vector<std::string> FormatNames() {
  std::vector<std::string> names;
  for (const auto& [f, name] : kFormats) names.push_back(name);
  return names;
}

std::optional<Format> ParseFormat(const std::string& text) {
  for (const auto& [f, name] : kFormats)
    if (strcasecmp(text.c_str(), name) == 0) return f;
  return std::nullopt;
}

ObjectStream::ObjectStream(Context& ctx) : ctx_(ctx) {}

void ObjectStream::Add(Json obj) {
  std::ostream& out = ctx_.out;
  switch (ctx_.format) {
    case Format::kJson: {
      // As Json(list).dump(2) writes it, one object at a time: each at a base indent of 2.
      out << (n_ == 0 ? "[\n  " : ",\n  ");
      nlohmann::detail::serializer<Json> s(nlohmann::detail::output_adapter<char>(out), ' ');
      s.dump(obj, true, false, 2, 2);
      break;
    }
    case Format::kYaml: {
      std::string text = store::EmitYaml(obj), item = "- ";
      for (size_t i = 0; i < text.size(); ++i) {
        item += text[i];
        if (text[i] == '\n' && i + 1 < text.size()) item += "  ";
      }
      out << item;
      break;
    }
    case Format::kList:
      if (n_ > 0) out << "\n";
      PrintList(out, {obj});
      break;
    case Format::kCsv:
      if (n_ == 0) {
        columns_ = Columns({obj});
        PrintCsvHeader(out, columns_);
      }
      PrintCsvRow(out, columns_, obj);
      break;
    case Format::kTable: held_.push_back(std::move(obj)); break;
  }
  ++n_;
}

void ObjectStream::Finish() {
  std::ostream& out = ctx_.out;
  if (ctx_.format == Format::kJson) out << (n_ == 0 ? "[]\n" : "\n]\n");
  if (ctx_.format == Format::kYaml && n_ == 0) out << "[]\n";
  if (ctx_.format == Format::kTable && !held_.empty()) PrintTable(out, held_, ctx_.width);
}

void PrintObjects(Context& ctx, const std::vector<Json>& objects, bool single) {
  if (single && objects.size() == 1) {
    if (ctx.format == Format::kJson)
      ctx.out << objects[0].dump(2) << "\n";
    else if (ctx.format == Format::kYaml)
      ctx.out << store::EmitYaml(objects[0]);
    else if (ctx.format == Format::kList)
      PrintList(ctx.out, objects);
    if (ctx.format == Format::kJson || ctx.format == Format::kYaml || ctx.format == Format::kList) return;
  }
  ObjectStream stream(ctx);
  for (const auto& o : objects) stream.Add(o);
  stream.Finish();
}

void PrintChanges(Context& ctx, const std::vector<store::Change>& input, const std::string& header) {
  std::vector<store::Change> changes = input;
  for (auto& c : changes) {
    c.before = Shown(ctx, c, c.before);
    c.after = Shown(ctx, c, c.after);
  }
  if (ctx.format == Format::kList) {
    std::ostream& out = ctx.out;
    if (!header.empty()) out << header << "\n";
    for (const auto& c : changes) {
      char mark = c.op == store::Change::Op::kAdded ? '+' : c.op == store::Change::Op::kRemoved ? '-' : '~';
      out << mark << " " << store::Noun(c.kind) << " '" << c.name << "'\n";
      if (c.op != store::Change::Op::kChanged) continue;
      for (const auto& d : store::Diff(c.before, c.after))
        out << "    " << d.property << ": " << (d.before.is_null() ? "null" : d.before.dump()) << " -> "
            << (d.after.is_null() ? "null" : d.after.dump()) << "\n";
    }
    return;
  }
  std::vector<Json> rows;
  for (const auto& c : changes) {
    Json row;
    row["Change"] = OpName(c.op);
    row["Kind"] = c.kind;
    row["Name"] = c.name;
    row["Identity"] =
        c.kind == store::kSettings ? store::ServiceId(ctx.store->pool()) : store::IdentityOf(ctx.store->pool(), c.guid);
    Json props = Json::array();
    for (const auto& d : store::Diff(c.before, c.after)) {
      Json p;
      p["Property"] = d.property;
      p["Before"] = d.before;
      p["After"] = d.after;
      props.push_back(std::move(p));
    }
    row["Properties"] = std::move(props);
    rows.push_back(std::move(row));
  }
  PrintObjects(ctx, rows, false);
}

}  // namespace rgs::cli
