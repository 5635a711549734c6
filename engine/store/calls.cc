#include "store/calls.h"

#include "store/statement.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>

namespace rgs::store {
namespace {

Json Seconds(const Json& ms) { return ms.is_number() ? Json(ms.get<int64_t>() / 1000.0) : Json(); }

// Resolves a workflow or queue filter against the names recorded (objects may have been renamed
// or removed since, so the recorded name is matched as well as the live object's GUID).
std::string Where(const CallFilter& f, std::vector<std::string>* args, const char* time_col) {
  std::string w = " WHERE 1";
  if (!f.since.empty()) {
    w += std::string(" AND ") + time_col + " >= ?";
    args->push_back(f.since);
  }
  if (!f.until.empty()) {
    w += std::string(" AND ") + time_col + " < ?";
    args->push_back(f.until);
  }
  return w;
}

}  // namespace

Result<std::vector<Json>> CallRecords(Store& store, const CallFilter& f) {
  std::vector<std::string> args;
  std::string sql =
      "SELECT id, call_id, workflow_name, caller, received, ended, outcome, detail, agent, answered, wait_ms, workflow "
      "FROM calls" +
      Where(f, &args, "received");
  if (!f.workflow.empty()) {
    sql += " AND (workflow_name = ? COLLATE NOCASE OR workflow = ?)";
    args.push_back(f.workflow);
    args.push_back(f.workflow);
  }
  if (!f.queue.empty()) {
    sql +=
        " AND EXISTS (SELECT 1 FROM queue_visits v WHERE v.call = calls.id AND (v.queue_name = ? COLLATE NOCASE OR "
        "v.queue = ?))";
    args.push_back(f.queue);
    args.push_back(f.queue);
  }
  sql += " ORDER BY received DESC, id DESC";
  if (f.last > 0) sql += " LIMIT " + std::to_string(f.last);
  Statement q(store.db(), sql);
  if (!q.ok()) return IoError("reading call records: " + q.Error());
  for (size_t i = 0; i < args.size(); ++i) q.Bind(static_cast<int>(i + 1), args[i]);
  std::vector<Json> out;
  std::map<int64_t, size_t> index;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) {
    Json j;
    j["Id"] = q.Int(0);
    j["CallId"] = q.Text(1);
    j["Workflow"] = q.Col(2);
    j["Caller"] = q.Text(3);
    j["Received"] = q.Text(4);
    j["Ended"] = q.Text(5);
    j["Outcome"] = q.Text(6);
    j["Detail"] = q.Text(7);
    j["Agent"] = q.Col(8);
    j["Answered"] = q.Col(9);
    j["WaitSeconds"] = Seconds(q.Col(10));
    j["Queues"] = Json::array();
    index[q.Int(0)] = out.size();
    out.push_back(std::move(j));
  }
  if (rc != SQLITE_DONE) return IoError("reading call records: " + q.Error());
  std::reverse(out.begin(), out.end());
  for (auto& [id, i] : index) i = out.size() - 1 - i;
  if (out.empty()) return out;
  Statement v(store.db(),
              "SELECT call, queue_name, entered, left_at, outcome, reason, agent, wait_ms, offers FROM queue_visits "
              "WHERE call BETWEEN ? AND ? ORDER BY call, seq");
  if (!v.ok()) return IoError("reading call records: " + v.Error());
  v.Bind(1, index.begin()->first);
  v.Bind(2, index.rbegin()->first);
  while ((rc = v.Step()) == SQLITE_ROW) {
    auto it = index.find(v.Int(0));
    if (it == index.end()) continue;
    Json visit;
    visit["Queue"] = v.Text(1);
    visit["Entered"] = v.Text(2);
    visit["Left"] = v.Text(3);
    visit["Outcome"] = v.Text(4);
    visit["Reason"] = v.Text(5).empty() ? Json() : Json(v.Text(5));
    visit["Agent"] = v.Col(6);
    visit["WaitSeconds"] = Seconds(v.Col(7));
    visit["Offers"] = Json::parse(v.Text(8), nullptr, false);
    out[it->second]["Queues"].push_back(std::move(visit));
  }
  if (rc != SQLITE_DONE) return IoError("reading call records: " + v.Error());
  return out;
}

Result<std::vector<Json>> QueueStatistics(Store& store, const CallFilter& f) {
  std::vector<std::string> args;
  std::string sql = "SELECT queue_name, outcome, wait_ms FROM queue_visits" + Where(f, &args, "entered");
  if (!f.queue.empty()) {
    sql += " AND (queue_name = ? COLLATE NOCASE OR queue = ?)";
    args.push_back(f.queue);
    args.push_back(f.queue);
  }
  if (!f.workflow.empty()) {
    sql += " AND call IN (SELECT id FROM calls WHERE workflow_name = ? COLLATE NOCASE OR workflow = ?)";
    args.push_back(f.workflow);
    args.push_back(f.workflow);
  }
  Statement q(store.db(), sql);
  if (!q.ok()) return IoError("reading call records: " + q.Error());
  for (size_t i = 0; i < args.size(); ++i) q.Bind(static_cast<int>(i + 1), args[i]);
  struct Stats {
    int64_t received = 0, answered = 0, abandoned = 0, transferred = 0, disconnected = 0;
    std::vector<int64_t> waits;
  };
  std::map<std::string, Stats> by_queue;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) {
    Stats& s = by_queue[q.Text(0)];
    std::string outcome = q.Text(1);
    s.received++;
    if (outcome == "Answered")
      s.answered++;
    else if (outcome == "Abandoned")
      s.abandoned++;
    else if (outcome == "Transferred")
      s.transferred++;
    else
      s.disconnected++;
    s.waits.push_back(q.Int(2));
  }
  if (rc != SQLITE_DONE) return IoError("reading call records: " + q.Error());
  std::vector<Json> out;
  for (auto& [name, s] : by_queue) {
    std::sort(s.waits.begin(), s.waits.end());
    double sum = 0;
    for (auto w : s.waits) sum += static_cast<double>(w);
    size_t rank = static_cast<size_t>(std::ceil(0.95 * static_cast<double>(s.waits.size())));
    Json j;
    j["Queue"] = name;
    j["Received"] = s.received;
    j["Answered"] = s.answered;
    j["Abandoned"] = s.abandoned;
    j["Transferred"] = s.transferred;
    j["Disconnected"] = s.disconnected;
    j["AverageWaitSeconds"] = std::round(sum / static_cast<double>(s.waits.size())) / 1000.0;
    j["P95WaitSeconds"] = static_cast<double>(s.waits[std::max<size_t>(rank, 1) - 1]) / 1000.0;
    out.push_back(std::move(j));
  }
  return out;
}

std::string IsoTime(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

namespace {

// Runs `body` in one write transaction; rolled back when it fails.
template <typename F>
Status InTransaction(Store& store, F body) {
  sqlite3* db = store.db();
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return Conflict(sqlite3_errmsg(db));
  bool ok = body(db);
  std::string error = ok ? "" : sqlite3_errmsg(db);
  sqlite3_exec(db, ok ? "COMMIT" : "ROLLBACK", nullptr, nullptr, nullptr);
  return ok ? Status::Ok() : IoError(error);
}

std::optional<std::string> IsoOrNull(const std::optional<core::Time>& t) {
  return t ? std::optional<std::string>(IsoTime(*t)) : std::nullopt;
}

constexpr char kInsertCall[] =
    "INSERT OR REPLACE INTO calls(id, call_id, workflow, workflow_name, caller, received, ended, outcome, detail, "
    "agent, "
    "answered, wait_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";

bool InsertCall(Statement& call, const core::CallRecord& r, const std::string& outcome, core::Time ended) {
  return call.Run(static_cast<int64_t>(r.id), r.call_id, NullIfEmpty(r.workflow), NullIfEmpty(r.workflow_name),
                  r.caller, IsoTime(r.received), IsoTime(ended), outcome, r.detail, NullIfEmpty(r.agent),
                  IsoOrNull(r.answered), r.wait_ms ? std::optional<int64_t>(*r.wait_ms) : std::nullopt) == SQLITE_DONE;
}

}  // namespace

Status WriteCallRecords(Store& store, const std::vector<core::CallRecord>& records) {
  return InTransaction(store, [&](sqlite3* db) {
    Statement call(db, kInsertCall);
    Statement visit(db,
                    "INSERT INTO queue_visits(call, seq, queue, queue_name, entered, left_at, outcome, reason, agent, "
                    "wait_ms, offers) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    if (!call.ok() || !visit.ok()) return false;
    for (const auto& r : records) {
      if (!InsertCall(call, r, std::string(core::Name(r.outcome)), r.ended)) return false;
      int64_t seq = 0;
      for (const auto& v : r.visits) {
        Json offers = Json::array();
        for (const auto& o : v.offers)
          offers.push_back({{"Agent", o.agent}, {"At", IsoTime(o.at)}, {"Result", o.result}});
        if (visit.Run(static_cast<int64_t>(r.id), ++seq, v.queue, v.queue_name, IsoTime(v.entered), IsoTime(v.left),
                      std::string(core::Name(v.outcome)), v.reason, NullIfEmpty(v.agent),
                      static_cast<int64_t>(v.wait_ms), offers.dump()) != SQLITE_DONE)
          return false;
      }
    }
    return true;
  });
}

Status WriteCallsStarted(Store& store, const std::vector<core::CallRecord>& calls) {
  return InTransaction(store, [&](sqlite3* db) {
    // A call that ended meanwhile is recorded already (its final row wins).
    Statement call(
        db,
        "INSERT OR IGNORE INTO calls(id, call_id, workflow, workflow_name, caller, received, ended, outcome, "
        "detail, agent, answered, wait_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!call.ok()) return false;
    for (const auto& r : calls)
      if (!InsertCall(call, r, "InProgress", r.received)) return false;
    return true;
  });
}

Result<int64_t> EndInterruptedCalls(Store& store, std::chrono::system_clock::time_point now) {
  int64_t n = 0;
  Status s = InTransaction(store, [&](sqlite3* db) {
    Statement q(db,
                "UPDATE calls SET outcome = 'Interrupted', detail = 'ended by the restart of rgsd', ended = ? "
                "WHERE outcome = 'InProgress'");
    if (!q.ok() || q.Run(IsoTime(now)) != SQLITE_DONE) return false;
    n = sqlite3_changes(db);
    return true;
  });
  if (!s.ok()) return s;
  return n;
}

Status SaveAgents(Store& store, const std::vector<core::SaveAgent>& agents) {
  return InTransaction(store, [&](sqlite3* db) {
    Statement q(db, "INSERT OR REPLACE INTO agent_state(aor, contact, registered_until, signed_in) VALUES (?,?,?,?)");
    if (!q.ok()) return false;
    for (const auto& a : agents) {
      int64_t until =
          std::chrono::duration_cast<std::chrono::milliseconds>(a.registered_until.time_since_epoch()).count();
      if (q.Run(a.aor, a.contact, until, Json(a.signed_in).dump()) != SQLITE_DONE) return false;
    }
    return true;
  });
}

Result<std::vector<core::AgentRestored>> LoadAgents(Store& store, std::chrono::system_clock::time_point now) {
  Statement q(store.db(), "SELECT aor, contact, registered_until, signed_in FROM agent_state");
  if (!q.ok()) return IoError("reading agent state: " + q.Error());
  std::vector<core::AgentRestored> out;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) {
    core::AgentRestored a;
    a.aor = q.Text(0);
    a.contact = q.Text(1);
    a.registered_until = core::Time(std::chrono::milliseconds(q.Int(2)));
    a.idle_since = now;
    Json groups = Json::parse(q.Text(3), nullptr, false);
    if (groups.is_array())
      for (const auto& g : groups)
        if (g.is_string()) a.signed_in.push_back(g.get<std::string>());
    if (a.registered_until <= now) a.contact.clear();
    if (a.contact.empty() && a.signed_in.empty()) continue;
    out.push_back(std::move(a));
  }
  if (rc != SQLITE_DONE) return IoError("reading agent state: " + q.Error());
  return out;
}

Result<int64_t> LastCallId(Store& store) {
  Statement q(store.db(), "SELECT coalesce(max(id), 0) FROM calls");
  if (!q.ok() || q.Step() != SQLITE_ROW) return IoError("reading call records: " + q.Error());
  return q.Int(0);
}

}  // namespace rgs::store
