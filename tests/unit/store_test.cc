// Tests of the versioned store: revisions, reading as of a revision, comparing, restoring,
// migrations and the refusal of a newer store.
#include "store/store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/catalog.h"

using namespace rgs;
using namespace rgs::store;

namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char tmpl[] = "/tmp/rgs-unit-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string File(const std::string& name) const { return (path / name).string(); }
};

std::unique_ptr<Store> OpenNew(const TempDir& dir, const std::string& pool = "pool-a.example.com") {
  auto s = Store::Open(dir.File("s.db"), Store::Mode::kWrite, pool);
  REQUIRE(s.ok());
  return std::move(*s);
}

Object Obj(const std::string& guid, const std::string& name, int value) {
  Json doc;
  doc["Name"] = name;
  doc["Value"] = value;
  return {"thing", guid, name, doc};
}

int64_t Write(Store& s, const std::vector<Object>& puts, const std::vector<std::string>& removes = {}) {
  REQUIRE(s.Begin().ok());
  for (const auto& o : puts) REQUIRE(s.Put(o, {}).ok());
  for (const auto& g : removes) REQUIRE(s.Remove("thing", g).ok());
  auto r = s.Commit("tester", "administrator", "test", "a change");
  REQUIRE(r.ok());
  return *r;
}

}  // namespace

TEST_CASE("a new store knows its pool and starts at revision 0", "[store]") {
  TempDir dir;
  auto s = OpenNew(dir);
  CHECK(s->pool() == "pool-a.example.com");
  CHECK(s->revision() == 0);
  CHECK(s->schema_version() == Migrations().back().number);
  auto reopened = Store::Open(dir.File("s.db"), Store::Mode::kRead, "");
  REQUIRE(reopened.ok());
  CHECK((*reopened)->pool() == "pool-a.example.com");
}

TEST_CASE("a store of another pool is refused", "[store]") {
  TempDir dir;
  OpenNew(dir);
  auto other = Store::Open(dir.File("s.db"), Store::Mode::kWrite, "pool-b.example.com");
  CHECK(other.status().code() == Code::kInvalid);
}

TEST_CASE("reading a missing store fails without creating it", "[store]") {
  TempDir dir;
  auto s = Store::Open(dir.File("missing.db"), Store::Mode::kRead, "");
  CHECK(s.status().code() == Code::kIoError);
  CHECK_FALSE(std::filesystem::exists(dir.File("missing.db")));
}

TEST_CASE("a file that is not a store is refused", "[store]") {
  TempDir dir;
  std::ofstream(dir.File("junk.db")) << "this is not a database, just some text that is long enough to matter";
  auto s = Store::Open(dir.File("junk.db"), Store::Mode::kRead, "");
  CHECK_FALSE(s.ok());
  CHECK(s.status().code() == Code::kCorrupt);
}

TEST_CASE("every writing transaction is one revision with who, when and what", "[store]") {
  TempDir dir;
  auto s = OpenNew(dir);
  CHECK(Write(*s, {Obj("g1", "One", 1)}) == 1);
  CHECK(Write(*s, {Obj("g2", "Two", 2), Obj("g1", "One", 11)}) == 2);
  auto revs = s->Revisions(-1);
  REQUIRE(revs.ok());
  REQUIRE(revs->size() == 2);
  CHECK((*revs)[0].number == 2);
  CHECK((*revs)[0].actor == "tester");
  CHECK((*revs)[0].summary == "a change");
  CHECK((*revs)[0].time.size() == 20);
  CHECK((*revs)[0].time.back() == 'Z');
  auto last = s->Revisions(1);
  REQUIRE(last.ok());
  CHECK(last->size() == 1);
}

TEST_CASE("a transaction that changes nothing writes no revision", "[store]") {
  TempDir dir;
  auto s = OpenNew(dir);
  Write(*s, {Obj("g1", "One", 1)});
  CHECK(Write(*s, {Obj("g1", "One", 1)}) == 1);
  REQUIRE(s->Begin().ok());
  REQUIRE(s->Put(Obj("g1", "One", 5), {}).ok());
  REQUIRE(s->Put(Obj("g1", "One", 1), {}).ok());  // changed and changed back
  CHECK(s->changes().empty());
  auto r = s->Commit("t", "administrator", "c", "s");
  REQUIRE(r.ok());
  CHECK(*r == 1);
}

TEST_CASE("any object can be read as of any revision", "[store]") {
  TempDir dir;
  auto s = OpenNew(dir);
  Write(*s, {Obj("g1", "One", 1)});  // 1
  Write(*s, {Obj("g1", "One", 2)});  // 2
  Write(*s, {Obj("g2", "Two", 1)});  // 3
  Write(*s, {}, {"g1"});             // 4
  auto at = [&](const std::string& guid, int64_t rev) -> std::optional<int> {
    auto o = s->Get("thing", guid, rev);
    REQUIRE(o.ok());
    if (!o->has_value()) return std::nullopt;
    return (*o)->doc["Value"].get<int>();
  };
  CHECK_FALSE(at("g1", 0).has_value());
  CHECK(at("g1", 1) == 1);
  CHECK(at("g1", 2) == 2);
  CHECK(at("g1", 3) == 2);
  CHECK_FALSE(at("g1", 4).has_value());
  CHECK_FALSE(at("g1", kCurrent).has_value());
  CHECK(at("g2", 3) == 1);
  auto list2 = s->List("thing", 2);
  REQUIRE(list2.ok());
  CHECK(list2->size() == 1);
  auto byname = s->FindByName("thing", "ONE", 2);
  REQUIRE(byname.ok());
  CHECK(byname->has_value());
}

TEST_CASE("names are unique per kind, compared without case", "[store]") {
  TempDir dir;
  auto s = OpenNew(dir);
  Write(*s, {Obj("g1", "Sales", 1)});
  REQUIRE(s->Begin().ok());
  Status st = s->Put(Obj("g2", "SALES", 1), {});
  CHECK(st.code() == Code::kAlreadyExists);
  s->Rollback();
  // The name is free again once its holder is removed, and an old version keeps it in history.
  Write(*s, {}, {"g1"});
  Write(*s, {Obj("g2", "Sales", 2)});
  auto old = s->FindByName("thing", "sales", 1);
  REQUIRE(old.ok());
  CHECK((*old)->guid == "g1");
}

TEST_CASE("two revisions are compared object by object and property by property", "[store]") {
  TempDir dir;
  auto s = OpenNew(dir);
  Write(*s, {Obj("g1", "One", 1), Obj("g2", "Two", 2)});             // 1
  Write(*s, {Obj("g1", "One", 10), Obj("g3", "Three", 3)}, {"g2"});  // 2
  auto changes = s->Compare(1, 2);
  REQUIRE(changes.ok());
  REQUIRE(changes->size() == 3);
  std::map<std::string, Change::Op> ops;
  for (const auto& c : *changes) ops[c.guid] = c.op;
  CHECK(ops["g1"] == Change::Op::kChanged);
  CHECK(ops["g2"] == Change::Op::kRemoved);
  CHECK(ops["g3"] == Change::Op::kAdded);
  for (const auto& c : *changes) {
    if (c.guid != "g1") continue;
    auto diff = Diff(c.before, c.after);
    REQUIRE(diff.size() == 1);
    CHECK(diff[0].property == "Value");
    CHECK(diff[0].before == 1);
    CHECK(diff[0].after == 10);
  }
  auto none = s->Compare(2, 2);
  REQUIRE(none.ok());
  CHECK(none->empty());
}

TEST_CASE("restoring a revision writes a new revision equal to it", "[store]") {
  TempDir dir;
  auto s = OpenNew(dir);
  Catalog catalog(*s);
  Write(*s, {Obj("g1", "One", 1), Obj("g2", "Two", 2)});                     // 1
  Write(*s, {Obj("g1", "Two-renamed", 10), Obj("g3", "Three", 3)}, {"g2"});  // 2
  // g3 takes the name g1 had, so the restore must free names before it reuses them.
  Write(*s, {Obj("g1", "Renamed", 10), Obj("g3", "One", 3)});  // 3
  REQUIRE(s->Begin().ok());
  REQUIRE(catalog.Restore(1).ok());
  auto r = s->Commit("t", "administrator", "restore", "restored 1");
  REQUIRE(r.ok());
  CHECK(*r == 4);
  auto now = s->ListAll(kCurrent);
  auto then = s->ListAll(1);
  REQUIRE(now.ok());
  REQUIRE(then.ok());
  REQUIRE(now->size() == then->size());
  for (size_t i = 0; i < now->size(); ++i) {
    CHECK((*now)[i].guid == (*then)[i].guid);
    CHECK((*now)[i].doc == (*then)[i].doc);
  }
  auto diff = s->Compare(1, 4);
  REQUIRE(diff.ok());
  CHECK(diff->empty());
}

TEST_CASE("a store built from every migration has the schema of schema/current.sql", "[store][migration]") {
  TempDir dir;
  auto s = OpenNew(dir);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(s->db(), "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name", -1, &st,
                             nullptr) == SQLITE_OK);
  std::string actual;
  while (sqlite3_step(st) == SQLITE_ROW)
    actual += std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) + ";\n";
  sqlite3_finalize(st);
  std::ifstream in(std::string(RGS_SOURCE_DIR) + "/schema/current.sql");
  REQUIRE(in);
  std::stringstream expected;
  expected << in.rdbuf();
  CHECK(actual == expected.str());
}

TEST_CASE("migrations are numbered in order from 1", "[store][migration]") {
  const auto& all = Migrations();
  REQUIRE_FALSE(all.empty());
  for (size_t i = 0; i < all.size(); ++i) CHECK(all[i].number == static_cast<int>(i) + 1);
}

TEST_CASE("a store written by a newer rgs is refused with a clear message", "[store][migration]") {
  TempDir dir;
  OpenNew(dir);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(dir.File("s.db").c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "PRAGMA user_version=9999", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  auto s = Store::Open(dir.File("s.db"), Store::Mode::kWrite, "");
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == Code::kCorrupt);
  CHECK(s.status().message().find("newer rgs") != std::string::npos);
  CHECK(s.status().message().find("9999") != std::string::npos);
}

TEST_CASE("an old store is upgraded when opened", "[store][migration]") {
  TempDir dir;
  OpenNew(dir);
  // Put the store back at schema 0 with its tables gone, as a store from before the first
  // migration would be, and reopen it.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(dir.File("old.db").c_str(), &db) == SQLITE_OK);
  sqlite3_close(db);
  auto s = Store::Open(dir.File("old.db"), Store::Mode::kWrite, "pool-c");
  REQUIRE(s.ok());
  CHECK((*s)->schema_version() == Migrations().back().number);
  CHECK((*s)->pool() == "pool-c");
}

TEST_CASE("a store file is created readable by its owner only", "[store]") {
  TempDir dir;
  OpenNew(dir);
  auto perms = std::filesystem::status(dir.File("s.db")).permissions();
  CHECK((perms & std::filesystem::perms::group_read) == std::filesystem::perms::none);
  CHECK((perms & std::filesystem::perms::others_read) == std::filesystem::perms::none);
}

TEST_CASE("references let a removal find what uses an object", "[store]") {
  TempDir dir;
  auto s = OpenNew(dir);
  REQUIRE(s->Begin().ok());
  REQUIRE(s->Put(Obj("g1", "One", 1), {}).ok());
  REQUIRE(s->Put({"user", "u1", "User", Json::object()}, {{"thing", "g1"}}).ok());
  REQUIRE(s->Commit("t", "administrator", "c", "s").ok());
  auto users = s->Users("thing", "g1");
  REQUIRE(users.ok());
  REQUIRE(users->size() == 1);
  CHECK((*users)[0].guid == "u1");
  REQUIRE(s->Begin().ok());
  REQUIRE(s->Remove("user", "u1").ok());
  REQUIRE(s->Commit("t", "administrator", "c", "s").ok());
  users = s->Users("thing", "g1");
  REQUIRE(users.ok());
  CHECK(users->empty());
}

TEST_CASE("commits stay in a short WAL, survive the close and are checkpointed as it grows", "[store]") {
  TempDir dir;
  std::string wal = dir.File("s.db") + "-wal";
  {
    auto s = OpenNew(dir);
    CHECK(Write(*s, {Obj("g1", "One", 1)}) == 1);
  }
  // Closed without a checkpoint: the commit is in the WAL, and a new connection reads it.
  CHECK(std::filesystem::file_size(wal) > 0);
  {
    auto again = Store::Open(dir.File("s.db"), Store::Mode::kRead, "");
    REQUIRE(again.ok());
    CHECK((*again)->revision() == 1);
    auto one = (*again)->Get("thing", "g1");
    REQUIRE(one.ok());
    REQUIRE(one->has_value());
    CHECK((**one).doc["Value"] == 1);
  }
  // Many commits: the WAL never holds much more than kCheckpointFrames pages.
  const uintmax_t frame = 4096 + 24;
  uintmax_t largest = 0;
  for (int i = 0; i < 200; ++i) {
    auto s = OpenNew(dir);
    Write(*s, {Obj("g" + std::to_string(i % 7), "N" + std::to_string(i % 7), i)});
    s.reset();
    largest = std::max(largest, std::filesystem::file_size(wal));
  }
  CHECK(largest < (Store::kCheckpointFrames + 16) * frame + 32);
  auto last = Store::Open(dir.File("s.db"), Store::Mode::kRead, "");
  REQUIRE(last.ok());
  CHECK((*last)->revision() == 201);
}
