// One prepared SQLite statement, finalised with its scope: for the queries and batch writes
// that live outside the store's own cache of statements (call records, their statistics).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

#include "store/store.h"

namespace rgs::store {

class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) : db_(db) {
    ok_ = sqlite3_prepare_v2(db, sql.c_str(), -1, &st_, nullptr) == SQLITE_OK;
  }
  ~Statement() { sqlite3_finalize(st_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return ok_; }
  std::string Error() const { return sqlite3_errmsg(db_); }

  // Clears the last run's bindings and result, for the next run.
  void Reset() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }
  void Bind(int i, const std::string& s) {
    sqlite3_bind_text(st_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  void Bind(int i, int64_t v) { sqlite3_bind_int64(st_, i, v); }
  // An absent value binds NULL.
  template <typename T>
  void Bind(int i, const std::optional<T>& v) {
    if (v)
      Bind(i, *v);
    else
      sqlite3_bind_null(st_, i);
  }
  int Step() { return sqlite3_step(st_); }
  // Runs the statement once with `values` bound to ?1, ?2...; SQLITE_DONE, SQLITE_ROW or an error.
  template <typename... Values>
  int Run(const Values&... values) {
    Reset();
    int i = 0;
    (Bind(++i, values), ...);
    return Step();
  }

  Json Col(int i) const {
    switch (sqlite3_column_type(st_, i)) {
      case SQLITE_NULL: return nullptr;
      case SQLITE_INTEGER: return sqlite3_column_int64(st_, i);
      default: return Text(i);
    }
  }
  std::string Text(int i) const {
    const unsigned char* t = sqlite3_column_text(st_, i);
    return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(st_, i)) : "";
  }
  int64_t Int(int i) const { return sqlite3_column_int64(st_, i); }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
  bool ok_ = false;
};

// The text, or no value when it is empty (a column that records "none" as NULL).
inline std::optional<std::string> NullIfEmpty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

}  // namespace rgs::store
