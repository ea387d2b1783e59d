#pragma once

#include <string>

namespace vigil {

// `vigil run --daemon --pidfile FILE`: detaches from the terminal (fork, setsid, fork; standard streams to
// /dev/null; umask 027; working folder /) before any thread starts, and writes the daemon's pid to the file. Returns
// in the daemon only. The process that was started waits until the pid file is written, then exits 0, or 1 with the
// reason on stderr (another vigil holds the pid file, it cannot be written). systemd and containers run `vigil run`
// in the foreground instead.
void daemonize(const std::string& pid_file);

// Removes the pid file when the daemon ends, if it still names this process.
class PidFileRemover {
public:
    explicit PidFileRemover(std::string pid_file) : pid_file_(std::move(pid_file)) {}
    ~PidFileRemover();
    PidFileRemover(const PidFileRemover&) = delete;
    PidFileRemover& operator=(const PidFileRemover&) = delete;

private:
    std::string pid_file_;
};

}  // namespace vigil
