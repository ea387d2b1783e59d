#include "logging/logging.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <filesystem>

namespace vigil {

void configure_logging(const LogConfig& log) {
    std::shared_ptr<spdlog::logger> logger;
    if (log.file.empty()) {
        logger = std::make_shared<spdlog::logger>("vigil", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    } else {
        std::error_code ignored;
        const auto parent = std::filesystem::path(log.file).parent_path();
        if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
        logger =
            std::make_shared<spdlog::logger>("vigil", std::make_shared<spdlog::sinks::basic_file_sink_mt>(log.file));
    }
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %-5l %v");
    logger->set_level(spdlog::level::from_str(log.level));
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
    // A file is flushed every 2 s by a thread of spdlog's. Standard error needs no flusher (it is unbuffered), and
    // must not have one before `run --daemon` forks: a thread does not survive fork, and the next flush_every in the
    // daemon would wait forever to join it.
    if (!log.file.empty()) spdlog::flush_every(std::chrono::seconds(2));
}

}  // namespace vigil
