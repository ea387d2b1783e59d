#include "app/daemon.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

namespace vigil {

namespace {

// The pid a pid file names, or 0.
pid_t pid_in(const std::string& pid_file) {
    std::ifstream in(pid_file);
    long pid = 0;
    return in >> pid && pid > 0 ? static_cast<pid_t>(pid) : 0;
}

// Writes this process's pid; the reason on failure.
std::string write_pid_file(const std::string& pid_file) {
    if (const pid_t other = pid_in(pid_file); other > 0 && other != getpid() && kill(other, 0) == 0) {
        return "another process (pid " + std::to_string(other) + ") holds " + pid_file +
               ": stop that vigil first, or give this one another --pidfile";
    }
    const std::string temporary = pid_file + ".tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return "cannot write " + temporary + ": " + std::strerror(errno) + " (check the folder exists and is writable)";
    const std::string text = std::to_string(getpid()) + "\n";
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written || ::rename(temporary.c_str(), pid_file.c_str()) != 0) {
        ::unlink(temporary.c_str());
        return "cannot write " + pid_file + ": " + std::strerror(errno);
    }
    return {};
}

[[noreturn]] void report_and_exit(int fd, const std::string& message) {
    if (::write(fd, message.data(), message.size()) < 0) {
    }  // the starter reads it; nothing else to do if it left
    _exit(1);
}

}  // namespace

void daemonize(const std::string& pid_file) {
    int ready[2];
    if (::pipe(ready) != 0) {
        std::cerr << "vigil: cannot start as a daemon: " << std::strerror(errno) << "\n";
        std::exit(1);
    }
    const pid_t first = ::fork();
    if (first < 0) {
        std::cerr << "vigil: cannot start as a daemon: " << std::strerror(errno) << "\n";
        std::exit(1);
    }
    if (first > 0) {
        // The starter: waits for the daemon's word (nothing: it runs; text: why it could not).
        ::close(ready[1]);
        std::string message;
        char buffer[512];
        for (ssize_t n; (n = ::read(ready[0], buffer, sizeof(buffer))) != 0;) {
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) break;
            message.append(buffer, static_cast<size_t>(n));
        }
        ::waitpid(first, nullptr, 0);  // the intermediate process exits at once
        if (!message.empty()) {
            std::cerr << "vigil: " << message << "\n";
            std::exit(1);
        }
        std::exit(0);
    }
    ::close(ready[0]);
    ::setsid();  // a session of its own: no controlling terminal, no SIGHUP when the terminal goes
    const pid_t second = ::fork();
    if (second < 0) report_and_exit(ready[1], std::string("cannot start as a daemon: ") + std::strerror(errno));
    if (second > 0) _exit(0);
    ::umask(027);
    if (::chdir("/") != 0) report_and_exit(ready[1], std::string("cannot change to /: ") + std::strerror(errno));
    if (const std::string error = write_pid_file(pid_file); !error.empty()) report_and_exit(ready[1], error);
    const int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
        ::dup2(null, STDIN_FILENO);
        ::dup2(null, STDOUT_FILENO);
        ::dup2(null, STDERR_FILENO);
        if (null > STDERR_FILENO) ::close(null);
    }
    ::close(ready[1]);  // end of file for the starter: the daemon runs
}

PidFileRemover::~PidFileRemover() {
    if (pid_in(pid_file_) == getpid()) ::unlink(pid_file_.c_str());
}

}  // namespace vigil
