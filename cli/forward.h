// rgs's side of forwarding (DESIGN §6): when rgsd serves the store a command names, rgs sends the
// command to rgsd's control socket and prints rgsd's answer (cli/forward.cc; rgsd's side is
// cli/serve.cc).
#pragma once

#include <string>
#include <vector>

namespace rgs::cli {

// The store when neither --store nor $RGS_STORE names one.
inline constexpr const char* kDefaultStore = "/var/lib/rgs/rgs.db";

// Global options that take a value, so that their values are not taken for the cmdlet name.
inline constexpr const char* kValueOptions[] = {"--store", "--pool", "-o", "--output", "--expect-revision"};

// The cmdlets rgs sends to rgsd, by name and Lync alias: they read no file and no standard input
// (--instance keeps a command here). tests/unit/catalog_test.cc checks them against the table.
struct ForwardedCmdlet {
  const char* name;
  const char* alias;  // or nullptr
};
inline constexpr ForwardedCmdlet kForwarded[] = {
    {"new-agentgroup", "New-CsRgsAgentGroup"},
    {"get-agentgroup", "Get-CsRgsAgentGroup"},
    {"set-agentgroup", "Set-CsRgsAgentGroup"},
    {"remove-agentgroup", "Remove-CsRgsAgentGroup"},
    {"new-queue", "New-CsRgsQueue"},
    {"get-queue", "Get-CsRgsQueue"},
    {"set-queue", "Set-CsRgsQueue"},
    {"remove-queue", "Remove-CsRgsQueue"},
    {"new-workflow", "New-CsRgsWorkflow"},
    {"get-workflow", "Get-CsRgsWorkflow"},
    {"set-workflow", "Set-CsRgsWorkflow"},
    {"remove-workflow", "Remove-CsRgsWorkflow"},
    {"new-hoursofbusiness", "New-CsRgsHoursOfBusiness"},
    {"get-hoursofbusiness", "Get-CsRgsHoursOfBusiness"},
    {"set-hoursofbusiness", "Set-CsRgsHoursOfBusiness"},
    {"remove-hoursofbusiness", "Remove-CsRgsHoursOfBusiness"},
    {"new-holidayset", "New-CsRgsHolidaySet"},
    {"get-holidayset", "Get-CsRgsHolidaySet"},
    {"set-holidayset", "Set-CsRgsHolidaySet"},
    {"remove-holidayset", "Remove-CsRgsHolidaySet"},
    {"get-configuration", "Get-CsRgsConfiguration"},
    {"get-revision", nullptr},
    {"compare-revision", nullptr},
    {"restore-revision", nullptr},
};

// The forwarded cmdlet a command line names, by name or alias in any case; nullptr when rgs
// keeps the command.
constexpr const ForwardedCmdlet* FindForwarded(const char* name) {
  auto same = [](const char* a, const char* b) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    while (*a && lower(*a) == lower(*b)) ++a, ++b;
    return lower(*a) == lower(*b);
  };
  for (const auto& f : kForwarded)
    if (same(name, f.name) || (f.alias && same(name, f.alias))) return &f;
  return nullptr;
}

// Sends the command line (args[0] is the program) to rgsd when rgsd serves its store, prints the
// answer, and returns the exit status; -1 when the command is to run here (not a forwarded
// cmdlet, a file or standard input to read, a question that may be asked on a terminal, --pool,
// help, no store yet, no rgsd, or rgsd declined it).
int Forward(const std::vector<std::string>& args);

}  // namespace rgs::cli
