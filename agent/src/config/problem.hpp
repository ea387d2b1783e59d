#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace vigil {

// Where something is in a configuration file: 1-based line and column; 0 when only the file is known.
struct Position {
    std::string file;
    int line = 0;
    int column = 0;
};

struct Problem {
    Position where;
    std::string message;

    // FILE:LINE:COL: message (or FILE: message when the position is not known).
    std::string to_string() const;
};

// Every problem found in a configuration, reported together. Thrown only after the whole configuration was read,
// so the user fixes everything in one pass.
class ConfigError : public std::runtime_error {
public:
    explicit ConfigError(std::vector<Problem> problems);
    const std::vector<Problem>& problems() const { return problems_; }

private:
    std::vector<Problem> problems_;
};

}  // namespace vigil
