#include "app/process_signals.hpp"

#include <pthread.h>
#include <unistd.h>
#include <csignal>

namespace vigil {

namespace {

// SIGUSR2 is ours: it tells the watcher to exit when the agent is done.
sigset_t watched_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGUSR2);
    return set;
}

}  // namespace

ProcessSignals::ProcessSignals() {
    const sigset_t set = watched_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

ProcessSignals::~ProcessSignals() {
    stop_watching();
}

void ProcessSignals::stop_watching() {
    if (watcher_.joinable()) {
        pthread_kill(watcher_.native_handle(), SIGUSR2);
        watcher_.join();
    }
}

void ProcessSignals::watch(std::function<void(int signal)> on_stop, std::function<void()> on_reload) {
    watcher_ = std::thread([stop = std::move(on_stop), reload = std::move(on_reload)] {
        const sigset_t set = watched_signals();
        bool stopping = false;
        while (true) {
            int signal = 0;
            if (sigwait(&set, &signal) != 0) continue;
            if (signal == SIGUSR2) return;
            if (signal == SIGHUP) {
                if (!stopping) reload();
                continue;
            }
            if (stopping) _exit(128 + signal);
            stopping = true;
            stop(signal);
        }
    });
}

}  // namespace vigil
