// Fills a store with a large configuration through the real catalog, in one revision, for the
// benchmarks: agent groups with agents, queues over them, and workflows over the queues.
//
//   rgs-bench-seed STORE POOL GROUPS QUEUES WORKFLOWS AGENTS_PER_GROUP [HOLIDAY_SETS AUDIO_FILES]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "store/catalog.h"

using namespace rgs;

namespace {

int Die(const Status& s) {
  std::fprintf(stderr, "rgs-bench-seed: %s\n", s.message().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7 && argc != 9) {
    std::fprintf(
        stderr,
        "usage: rgs-bench-seed STORE POOL GROUPS QUEUES WORKFLOWS AGENTS_PER_GROUP [HOLIDAY_SETS AUDIO_FILES]\n");
    return 2;
  }
  int holiday_sets = argc == 9 ? std::atoi(argv[7]) : 0, audio_files = argc == 9 ? std::atoi(argv[8]) : 0;
  int groups = std::atoi(argv[3]), queues = std::atoi(argv[4]), workflows = std::atoi(argv[5]),
      per_group = std::atoi(argv[6]);
  auto opened = store::Store::Open(argv[1], store::Store::Mode::kWrite, argv[2]);
  if (!opened.ok()) return Die(opened.status());
  store::Store& st = **opened;
  store::Catalog catalog(st);
  Status s = st.Begin();
  if (!s.ok()) return Die(s);
  std::vector<std::string> warnings, group_ids, queue_ids, set_ids, audio_ids;
  for (int i = 0; i < audio_files; ++i) {
    // One second of 16 kHz 16-bit mono, different in each file so that each is stored once.
    std::string wav = "RIFF";
    auto put = [&wav](uint32_t v, int n) {
      for (int k = 0; k < n; ++k) wav += static_cast<char>((v >> (8 * k)) & 0xff);
    };
    uint32_t data = 32000;
    put(36 + data, 4);
    wav += "WAVEfmt ";
    put(16, 4);
    put(1, 2);
    put(1, 2);
    put(16000, 4);
    put(32000, 4);
    put(2, 2);
    put(16, 2);
    wav += "data";
    put(data, 4);
    for (uint32_t k = 0; k < data / 2; ++k) put(static_cast<uint32_t>((k * (i + 1)) & 0x7fff), 2);
    core::AudioFile a;
    a.name = "Audio " + std::to_string(i);
    a.file_name = "audio" + std::to_string(i) + ".wav";
    if (!(s = catalog.ImportAudio(a, wav, &warnings)).ok()) return Die(s);
    audio_ids.push_back(a.guid);
  }
  for (int i = 0; i < holiday_sets; ++i) {
    core::HolidaySet h;
    h.name = "Holidays " + std::to_string(i);
    for (int d = 0; d < 10; ++d)
      h.holidays.push_back({"Day " + std::to_string(d), *core::ParseLocalDateTime("2027-01-01") + d * 7 * 1440,
                            *core::ParseLocalDateTime("2027-01-02") + d * 7 * 1440});
    if (!(s = catalog.Save(h, true, &warnings)).ok()) return Die(s);
    set_ids.push_back(h.guid);
  }
  const char* methods[] = {"parallel", "serial", "round-robin", "longest-idle", "attendant"};
  for (int i = 0; i < groups; ++i) {
    core::AgentGroup g;
    g.name = "Group " + std::to_string(i);
    g.routing_method = *core::ParseRoutingMethod(methods[i % 5]);
    for (int a = 0; a < per_group; ++a)
      g.agents.push_back("sip:agent" + std::to_string(i * per_group + a) + "@example.com");
    if (!(s = catalog.Save(g, true, &warnings)).ok()) return Die(s);
    group_ids.push_back(g.guid);
  }
  for (int i = 0; i < queues; ++i) {
    core::Queue q;
    q.name = "Queue " + std::to_string(i);
    if (!group_ids.empty()) q.agent_groups = {group_ids[i % group_ids.size()]};
    q.timeout_threshold = 120;
    q.timeout_action = core::CallAction{};
    q.timeout_action->action = core::ActionKind::kTransferToVoiceMailUri;
    q.timeout_action->uri = "sip:voicemail" + std::to_string(i) + "@example.com";
    if (!(s = catalog.Save(q, true, &warnings)).ok()) return Die(s);
    queue_ids.push_back(q.guid);
  }
  for (int i = 0; i < workflows; ++i) {
    core::Workflow w;
    w.name = "Workflow " + std::to_string(i);
    w.primary_uri = "sip:workflow" + std::to_string(i) + "@example.com";
    w.active = true;
    w.time_zone = "Europe/Paris";
    w.default_action = core::CallAction{};
    w.default_action->action = core::ActionKind::kTransferToQueue;
    w.default_action->queue = queue_ids.empty() ? "" : queue_ids[i % queue_ids.size()];
    w.default_action->prompt = core::Prompt{"Welcome to workflow " + std::to_string(i),
                                            audio_ids.empty() ? "" : audio_ids[i % audio_ids.size()]};
    if (!set_ids.empty()) w.holiday_sets = {set_ids[i % set_ids.size()]};
    if (!(s = catalog.Save(w, true, &warnings)).ok()) return Die(s);
  }
  auto r = st.Commit("bench", "administrator", "rgs-bench-seed", "seeded for a benchmark");
  if (!r.ok()) return Die(r.status());
  return 0;
}
