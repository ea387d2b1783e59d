#pragma once

#include <functional>
#include <thread>

namespace vigil {

// Turns SIGINT and SIGTERM into a callback on a dedicated thread. Construct it before any other thread starts:
// it blocks those signals so they are never delivered to a worker (whose default action would kill the process
// mid-commit). A second signal while stopping exits at once; that loses nothing, since only stored checkpoints
// count.
class TerminationSignals {
public:
    TerminationSignals();
    ~TerminationSignals();
    TerminationSignals(const TerminationSignals&) = delete;
    TerminationSignals& operator=(const TerminationSignals&) = delete;

    void watch(std::function<void(int signal)> on_first_signal);
    // Stops watching and waits until a callback in progress has returned; after it, the callback's targets may be
    // destroyed. The destructor does the same.
    void stop_watching();

private:
    std::thread watcher_;
};

}  // namespace vigil
