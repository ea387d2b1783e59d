#include "app/termination_signals.hpp"

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
    sigaddset(&set, SIGUSR2);
    return set;
}

}  // namespace

TerminationSignals::TerminationSignals() {
    const sigset_t set = watched_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

TerminationSignals::~TerminationSignals() {
    stop_watching();
}

void TerminationSignals::stop_watching() {
    if (watcher_.joinable()) {
        pthread_kill(watcher_.native_handle(), SIGUSR2);
        watcher_.join();
    }
}

void TerminationSignals::watch(std::function<void(int signal)> on_first_signal) {
    watcher_ = std::thread([callback = std::move(on_first_signal)] {
        const sigset_t set = watched_signals();
        bool stopping = false;
        while (true) {
            int signal = 0;
            if (sigwait(&set, &signal) != 0) continue;
            if (signal == SIGUSR2) return;
            if (stopping) _exit(128 + signal);
            stopping = true;
            callback(signal);
        }
    });
}

}  // namespace vigil
