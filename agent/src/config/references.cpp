#include "config/references.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vigil {

namespace {

std::optional<std::string> read_reference_file(const std::string& path, const std::string& base_dir,
                                               std::string& error) {
    std::filesystem::path file(path);
    if (file.is_relative()) file = std::filesystem::path(base_dir) / file;
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        error = "cannot read " + file.string() + " named by ${file:" + path + "}: check that it exists and is readable";
        return std::nullopt;
    }
    std::ostringstream content;
    content << in.rdbuf();
    std::string text = content.str();
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

}  // namespace

bool has_reference(std::string_view text) {
    return text.find("${env:") != std::string_view::npos || text.find("${file:") != std::string_view::npos;
}

std::optional<std::string> expand_references(std::string_view text, const std::string& base_dir, std::string& error) {
    std::string out;
    size_t pos = 0;
    while (true) {
        const size_t start = text.find("${", pos);
        if (start == std::string_view::npos) break;
        const size_t end = text.find('}', start);
        if (end == std::string_view::npos) {
            error =
                "unterminated reference '" + std::string(text.substr(start)) + "': write ${env:NAME} or ${file:PATH}";
            return std::nullopt;
        }
        out.append(text.substr(pos, start - pos));
        const std::string_view body = text.substr(start + 2, end - start - 2);
        if (body.starts_with("env:") && body.size() > 4) {
            const std::string name(body.substr(4));
            // NOLINTNEXTLINE(concurrency-mt-unsafe): configuration is read before any thread starts
            const char* value = std::getenv(name.c_str());
            if (value == nullptr) {
                error = "environment variable " + name + " is not set (referenced as ${env:" + name +
                        "}): set it in the agent's environment or its service unit";
                return std::nullopt;
            }
            out.append(value);
        } else if (body.starts_with("file:") && body.size() > 5) {
            const auto content = read_reference_file(std::string(body.substr(5)), base_dir, error);
            if (!content) return std::nullopt;
            out.append(*content);
        } else {
            error = "unknown reference '${" + std::string(body) + "}': write ${env:NAME} or ${file:PATH}";
            return std::nullopt;
        }
        pos = end + 1;
    }
    out.append(text.substr(pos));
    return out;
}

}  // namespace vigil
