#pragma once

#include <functional>
#include <thread>

namespace vigil {

// Turns SIGINT and SIGTERM (stop) and SIGHUP (reload the configuration) into callbacks on a dedicated thread.
// Construct it before any other thread starts: it blocks those signals so they are never delivered to a worker
// (whose default action would kill the process mid-commit). A second stop signal while stopping exits at once; that
// loses nothing, since only stored checkpoints count. Reloads may come any number of times.
class ProcessSignals {
public:
    ProcessSignals();
    ~ProcessSignals();
    ProcessSignals(const ProcessSignals&) = delete;
    ProcessSignals& operator=(const ProcessSignals&) = delete;

    void watch(std::function<void(int signal)> on_stop, std::function<void()> on_reload);
    // Stops watching and waits until a callback in progress has returned; after it, the callbacks' targets may be
    // destroyed. The destructor does the same.
    void stop_watching();

private:
    std::thread watcher_;
};

}  // namespace vigil
