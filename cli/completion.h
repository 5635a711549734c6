// The commands rgs runs for its build and its tests, made from the cmdlet table (cli/completion.cc).
#pragma once

#include <ostream>
#include <string>

namespace rgs::cli {

// The bash completion script for rgs: cmdlet names and aliases, their options, and the words of
// the options that take one of a list (Choices()).
void PrintCompletionScript(std::ostream& out);
// The cmdlet table as JSON: each cmdlet's name, alias, positionals and options (names, whether
// it takes a value, whether it is global, its words), and every exit status ExitStatus gives.
void PrintCmdletTable(std::ostream& out);
// Runs `name` if it is one of these commands (__complete-script, __cmdlets): true when it was.
bool RunInternal(const std::string& name, std::ostream& out);

}  // namespace rgs::cli
