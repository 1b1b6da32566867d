// Names for crontab jobs and the `dogwatch run` wrapping of their commands: a small shell lexer,
// good enough to find the program a job runs, never used to run anything.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "crontab_parse.h"

namespace dogwatch::cli {
namespace {

constexpr size_t kMaxName = 60;
constexpr size_t kMaxSubcommand = 20;
constexpr int kMaxDepth = 3;  // sh -c 'sh -c ...'

struct Word {
  std::string text;
  bool redirect = false;  // held an unquoted < or >
};
using SimpleCommand = std::vector<Word>;

// Commands that set up for the real job rather than being it.
const std::set<std::string, std::less<>> kSetUp{
    "cd", "test", "[", "[[", "sleep", "true", "false", "export", "set", "umask", "ulimit",
    "source", ".", ":", "echo", "printf", "exit", "unset", "wait", "trap", "read", "mkdir",
    "rm", "touch", "date", "if", "then", "else", "fi", "do", "done"};
// Commands that run the next words as the job, with their options that take a value.
const std::map<std::string, std::set<std::string, std::less<>>, std::less<>> kWrappers{
    {"nice", {"-n", "--adjustment"}},
    {"ionice", {"-c", "-n", "-p", "-P", "-u", "--class", "--classdata"}},
    {"nohup", {}},
    {"timeout", {"-s", "-k", "--signal", "--kill-after"}},
    {"flock", {"-w", "-E", "--timeout", "--conflict-exit-code"}},
    {"sudo", {"-u", "-g", "-C", "-h", "-p", "-U", "-r", "-t", "-D"}},
    {"env", {"-u", "-C", "-S", "--unset", "--chdir"}},
    {"chronic", {}},
    {"cronic", {}},
    {"time", {"-f", "-o"}},
    {"exec", {"-a"}},
    {"run-one", {}},
    {"systemd-cat", {"-t", "-p"}},
    {"setlock", {}},
    {"chrt", {}},
    {"taskset", {}}};
const std::set<std::string, std::less<>> kShells{"sh", "bash", "dash", "zsh", "ksh"};
const std::set<std::string, std::less<>> kInterpreters{
    "python", "python2", "python3", "perl", "php", "ruby", "node", "nodejs", "Rscript", "lua",
    "tclsh", "pwsh", "deno", "bun"};
const std::set<std::string, std::less<>> kShellBuiltins{
    "cd", "export", "source", ".", "set", "ulimit", "umask", "exec", "eval", "alias", "unset",
    "if", "for", "while", "until", "case", "trap", "read", "wait", "shift", "local", "exit", "{",
    "(", "!", "[[", "time", "function"};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::vector<SimpleCommand> Lex(std::string_view text) {
  std::vector<SimpleCommand> commands(1);
  Word word;
  bool in_word = false;
  auto end_word = [&] {
    if (!in_word) return;
    if (word.text == "{" || word.text == "}") {
      commands.emplace_back();
    } else {
      commands.back().push_back(std::move(word));
    }
    word = Word{};
    in_word = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\'' || c == '"') {
      size_t close = text.find(c, i + 1);
      if (close == std::string_view::npos) close = text.size();
      for (size_t j = i + 1; j < close; ++j) {
        if (c == '"' && text[j] == '\\' && j + 1 < close) ++j;
        word.text += text[j];
      }
      in_word = true;
      i = close;
    } else if (c == '\\' && i + 1 < text.size()) {
      word.text += text[++i];
      in_word = true;
    } else if (IsSpace(c)) {
      end_word();
    } else if ((c == '&' || c == '|') && in_word && !word.text.empty() &&
               (word.text.back() == '>' || word.text.back() == '<')) {
      word.text += c;  // 2>&1, >|
    } else if (c == ';' || c == '|' || c == '&' || c == '(' || c == ')' || c == '`') {
      end_word();
      if (!commands.back().empty()) commands.emplace_back();
    } else {
      if (c == '<' || c == '>') word.redirect = true;
      word.text += c;
      in_word = true;
    }
  }
  end_word();
  return commands;
}

// Drops redirections: "2>&1", ">/dev/null", and "> file" with its target.
SimpleCommand WithoutRedirects(const SimpleCommand& in) {
  SimpleCommand out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (!in[i].redirect) {
      out.push_back(in[i]);
      continue;
    }
    const std::string& t = in[i].text;
    bool operator_only = t.find_first_not_of("0123456789&<>|") == std::string::npos;
    bool duplicates_fd = t.size() >= 2 && t[t.size() - 2] == '&';  // 2>&1, >&2
    if (operator_only && !duplicates_fd) ++i;  // "> file": the file goes too
  }
  return out;
}

std::string Basename(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

bool IsAssignment(std::string_view word) {
  size_t eq = word.find('=');
  if (eq == 0 || eq == std::string_view::npos) return false;
  return std::all_of(word.begin(), word.begin() + eq, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  }) && !std::isdigit(static_cast<unsigned char>(word[0]));
}

// "renew" in "certbot renew": a short lower-case word, not an option, path or file name.
bool IsSubcommand(std::string_view word) {
  if (word.empty() || word.size() > kMaxSubcommand) return false;
  if (!std::islower(static_cast<unsigned char>(word[0]))) return false;
  return std::all_of(word.begin(), word.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
           c == '_' || c == ':' || c == '-';
  });
}

std::string WithSubcommand(std::string name, const SimpleCommand& words, size_t next) {
  if (next < words.size() && IsSubcommand(words[next].text)) name += " " + words[next].text;
  return name;
}

std::optional<std::string> NameOf(std::string_view command, int depth);

// The name of one simple command, or nullopt when it is set-up (cd, test ...).
std::optional<std::string> NameOfSimple(const SimpleCommand& words, int depth) {
  size_t i = 0;
  auto skip_options = [&](const std::set<std::string, std::less<>>& with_value) {
    while (i < words.size() && words[i].text.size() > 1 && words[i].text[0] == '-') {
      bool takes_value = with_value.count(words[i].text) > 0;
      ++i;
      if (takes_value && i < words.size()) ++i;
    }
  };
  while (i < words.size() && IsAssignment(words[i].text)) ++i;
  while (i < words.size()) {
    std::string program = Basename(words[i].text);
    if (kSetUp.count(program) > 0) return std::nullopt;
    if (auto wrapper = kWrappers.find(program); wrapper != kWrappers.end()) {
      if (program == "flock") {
        ++i;
        skip_options(wrapper->second);
        if (i < words.size()) ++i;  // the lock file
        if (i + 1 < words.size() && words[i].text == "-c") return NameOf(words[i + 1].text, depth + 1);
        continue;
      }
      ++i;
      skip_options(wrapper->second);
      while (i < words.size() && IsAssignment(words[i].text)) ++i;  // env A=b
      if (program == "timeout" && i < words.size()) ++i;            // the duration
      if (program == "nice" || program == "chrt" || program == "taskset") {
        while (i < words.size() && !words[i].text.empty() &&
               std::isdigit(static_cast<unsigned char>(words[i].text[0])))
          ++i;
      }
      continue;
    }
    if (program == "run-parts") {
      for (size_t j = words.size(); j > i + 1; --j) {
        if (words[j - 1].text[0] != '-') return Basename(words[j - 1].text);
      }
      return program;
    }
    bool shell = kShells.count(program) > 0;
    bool interpreter = shell || kInterpreters.count(program) > 0 || program.rfind("python", 0) == 0;
    if (!interpreter) return WithSubcommand(program, words, i + 1);
    for (++i; i < words.size() && words[i].text.size() > 1 && words[i].text[0] == '-'; ++i) {
      const std::string& option = words[i].text;
      if (option == "-c" && i + 1 < words.size()) {
        return shell ? NameOf(words[i + 1].text, depth + 1) : std::optional<std::string>(program);
      }
      if (option == "-m" && i + 1 < words.size()) return WithSubcommand(words[i + 1].text, words, i + 2);
    }
    if (i >= words.size()) return program;
    return WithSubcommand(Basename(words[i].text), words, i + 1);
  }
  return std::nullopt;
}

std::optional<std::string> NameOf(std::string_view command, int depth) {
  if (depth > kMaxDepth) return std::nullopt;
  std::optional<std::string> fallback;
  for (const SimpleCommand& raw : Lex(command)) {
    SimpleCommand words = WithoutRedirects(raw);
    if (words.empty()) continue;
    if (auto name = NameOfSimple(words, depth); name && !name->empty()) return name;
    if (!fallback) fallback = Basename(words[0].text);
  }
  return fallback;
}

// One simple command of plain words: `dogwatch run -- <command>` runs it as cron's shell would.
bool IsSimple(std::string_view command) {
  auto safe = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '\t' ||
           std::string_view("_@+=:,./-~").find(c) != std::string_view::npos;
  };
  if (!std::all_of(command.begin(), command.end(), safe)) return false;
  size_t start = command.find_first_not_of(" \t");
  if (start == std::string_view::npos) return false;
  size_t end = command.find_first_of(" \t", start);
  std::string_view first = command.substr(start, end == std::string_view::npos ? end : end - start);
  return first.find('=') == std::string_view::npos && kShellBuiltins.count(first) == 0;
}

std::string SingleQuote(std::string_view text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string NameFromCommand(std::string_view command) {
  std::string name = NameOf(command, 0).value_or("job");
  if (name.empty()) name = "job";
  if (name.size() > kMaxName) name.resize(kMaxName);
  return name;
}

std::string SlugFromName(std::string_view name) {
  std::string slug;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      slug += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (c == '_') {
      slug += c;
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug.empty() ? "job" : slug;
}

std::string WrapCommand(std::string_view command, std::string_view slug) {
  // Cron cuts the line at the first unescaped %: only the part before it is the shell command;
  // the rest stays outside the quotes, as cron's standard input.
  size_t cut = std::string_view::npos;
  for (size_t i = 0; i < command.size(); ++i) {
    if (command[i] == '\\' && i + 1 < command.size()) {
      ++i;
    } else if (command[i] == '%') {
      cut = i;
      break;
    }
  }
  std::string_view head = command.substr(0, cut);
  std::string_view tail = cut == std::string_view::npos ? "" : command.substr(cut);
  std::string prefix = fmt::format("dogwatch run --slug {} -- ", slug);
  if (IsSimple(head)) return prefix + std::string(head) + std::string(tail);
  return prefix + "sh -c " + SingleQuote(head) + std::string(tail);
}

}  // namespace dogwatch::cli
