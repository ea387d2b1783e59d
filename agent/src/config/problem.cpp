#include "config/problem.hpp"

namespace vigil {

std::string Problem::to_string() const {
    std::string text = where.file;
    if (where.line > 0) text += ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
    return text + ": " + message;
}

namespace {
std::string summarize(const std::vector<Problem>& problems) {
    std::string text = std::to_string(problems.size()) + " configuration problem(s)";
    if (!problems.empty()) text += "; first: " + problems.front().to_string();
    return text;
}
}  // namespace

ConfigError::ConfigError(std::vector<Problem> problems)
    : std::runtime_error(summarize(problems)), problems_(std::move(problems)) {}

}  // namespace vigil
