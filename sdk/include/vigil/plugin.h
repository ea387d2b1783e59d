/*
 * Vigil plugin ABI: the stable C boundary between the Vigil agent (the host) and its plugins.
 *
 * A plugin is a shared library that exports one symbol, VIGIL_PLUGIN_ENTRY_SYMBOL, returning a pointer to a
 * static vigil_plugin_descriptor. The host checks the descriptor's abi_major for equality with its own, then reads
 * the plugin's configuration schema, validates the user's YAML against it, and only then creates an instance.
 *
 * Rules of the boundary:
 *  - Pure C. No C++ types, no exceptions: a plugin must catch everything before returning to the host.
 *  - Every struct that crosses the boundary starts with `uint32_t struct_size`, set by whoever fills it in
 *    (sizeof at that side's compile time). Structs only grow by appending fields; a reader never touches a field
 *    that lies beyond struct_size. Arrays of structs are passed as arrays of pointers, so a newer struct never
 *    changes the stride an older plugin walks.
 *  - Within one major version, minor versions only append fields and functions. abi_major changes on any break.
 *  - Strings are UTF-8. vigil_str is a (pointer, size) view that need not be NUL-terminated. `const char*`
 *    parameters and results are NUL-terminated.
 *  - Ownership is written next to every pointer below. "borrowed" means the callee may read it only during the call
 *    (copy what you need to keep); "host-owned until X" means the pointer stays valid until X happens.
 *
 * Threads: the host never calls one plugin instance from two threads at once. Different instances of the same
 * plugin may run concurrently on different threads, so a plugin keeps its state in its instance, not in globals.
 * Host functions may be called only from the thread that is currently inside a call into that instance.
 */
#ifndef VIGIL_PLUGIN_H
#define VIGIL_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VIGIL_ABI_MAJOR 1
#define VIGIL_ABI_MINOR 2

#define VIGIL_PLUGIN_ENTRY_SYMBOL "vigil_plugin_entry"

#if defined(_WIN32)
#define VIGIL_PLUGIN_EXPORT __declspec(dllexport)
#else
#define VIGIL_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* Status codes returned across the boundary. Zero is success; values are stable. */
typedef enum vigil_status {
    VIGIL_OK = 0,
    VIGIL_ERR_INVALID_ARGUMENT = 1, /* a bad parameter or configuration value */
    VIGIL_ERR_NOT_FOUND = 2,        /* the thing asked for does not exist (a secret, a key) */
    VIGIL_ERR_BUFFER_TOO_SMALL = 3, /* retry with the size reported through the out-parameter */
    VIGIL_ERR_CANCELLED = 4,        /* the host is stopping; return promptly */
    VIGIL_ERR_IO = 5,               /* storage or network failure; the host retries later with backoff */
    VIGIL_ERR_UNAVAILABLE = 6,      /* a remote service failed or throttled; retry later */
    VIGIL_ERR_INTERNAL = 7,         /* a bug or an unexpected exception inside the plugin */
    VIGIL_ERR_DENIED = 8,           /* (1.1) refused for good: bad credentials, a missing permission; say what to fix */
    VIGIL_ERR_EXPIRED = 9           /* (1.1) a nextLink or delta token expired: restart that listing from its start */
} vigil_status;

typedef enum vigil_plugin_kind {
    VIGIL_KIND_CONNECTOR = 1, /* collects events from a source and emits them */
    VIGIL_KIND_OUTPUT = 2     /* delivers stored events somewhere */
} vigil_plugin_kind;

typedef enum vigil_log_level {
    VIGIL_LOG_TRACE = 0,
    VIGIL_LOG_DEBUG = 1,
    VIGIL_LOG_INFO = 2,
    VIGIL_LOG_WARN = 3,
    VIGIL_LOG_ERROR = 4
} vigil_log_level;

/* A view of UTF-8 bytes; not necessarily NUL-terminated. {NULL, 0} is the empty string. */
typedef struct vigil_str {
    const char* data;
    size_t size;
} vigil_str;

/* ---------------------------------------------------------------------------------------------------------------
 * Configuration schema: what a plugin accepts under its YAML key. The host validates before create().
 * --------------------------------------------------------------------------------------------------------------- */

typedef enum vigil_value_type {
    VIGIL_VALUE_BOOL = 1,
    VIGIL_VALUE_INT = 2,      /* a signed 64-bit integer */
    VIGIL_VALUE_DURATION = 3, /* written 30s, 5m, 24h, 7d or 250ms in YAML; read as milliseconds */
    VIGIL_VALUE_STRING = 4,
    VIGIL_VALUE_STRING_LIST = 5, /* a YAML sequence of strings */
    VIGIL_VALUE_PATH = 6         /* a string; relative paths are resolved against the configuration file's folder */
} vigil_value_type;

typedef struct vigil_config_key {
    uint32_t struct_size;
    const char* name; /* plugin-owned, static: the YAML key */
    vigil_value_type type;
    int required; /* non-zero: the key must be present; default_value is then ignored */
    const char*
        default_value; /* plugin-owned, static: written as in YAML ("5m", "true", "a,b" for lists); NULL: none */
    const char* help;  /* plugin-owned, static: one sentence for `vigil plugins list` and error messages */
    int64_t min_value; /* INT and DURATION (in ms): inclusive bounds, checked when max_value > min_value */
    int64_t max_value;
} vigil_config_key;

/* An opaque, validated configuration with defaults applied. Host-owned; valid only during create(). */
typedef struct vigil_config vigil_config;

/* ---------------------------------------------------------------------------------------------------------------
 * Events and records.
 * --------------------------------------------------------------------------------------------------------------- */

/* What a connector emits. The host fills connector, organization, source_group and tenant_id from the job.
 * All views are borrowed: the host copies them before emit() returns. */
typedef struct vigil_event {
    uint32_t struct_size;
    vigil_str id;          /* required, unique within the connector and source: the Graph record's id */
    int64_t time_ms;       /* when it happened: milliseconds since the Unix epoch, UTC */
    vigil_str action;      /* Added, Removed, Modified, Successful Logon, Failed Logon, ... */
    vigil_str object_type; /* User, Group, Role, Application, ... */
    vigil_str what;
    vigil_str who;
    vigil_str where;
    vigil_str workstation;
    vigil_str status;       /* "success" or "failure" */
    vigil_str details_json; /* a JSON array or object, or empty */
    vigil_str raw_json;     /* the source record as received (JSON), or empty */
} vigil_event;

/* What an output receives: one stored event, already serialized. Host-owned, valid during write() only. */
typedef struct vigil_record {
    uint32_t struct_size;
    uint64_t sequence; /* the spool position: strictly increasing, never reused */
    vigil_str id;      /* the event id, for receivers that de-duplicate */
    vigil_str connector;
    int64_t time_ms;
    vigil_str json; /* the event record as one JSON object (contract section 4), no trailing newline */
} vigil_record;

/* (1.2) One object of a state snapshot: a user, a group, one membership... All views borrowed. */
typedef struct vigil_state_object {
    uint32_t struct_size;
    vigil_str kind;        /* the plugin's name for the collection: "user", "group_member"; [a-z0-9_]+ */
    vigil_str id;          /* unique within the kind and source: a Graph object id, or "group-id/member-id" */
    vigil_str object_type; /* the event record's object_type when it changes: User, Group, Role, ... */
    vigil_str name;        /* readable: the event record's `what`; not compared between snapshots */
    vigil_str json;        /* the object's state: a JSON object, its members the properties compared between
                              snapshots. Write them in a fixed order: the host compares the text. */
} vigil_state_object;

/* (1.2) What a snapshot is: when it was taken and the source's readable name (the `where` of its events). */
typedef struct vigil_state_snapshot {
    uint32_t struct_size;
    int64_t taken_ms; /* milliseconds since the Unix epoch, UTC; later than the source's last snapshot */
    vigil_str where;  /* borrowed: the tenant's primary domain, or empty for the tenant id */
} vigil_state_snapshot;

/* (1.2) Receives one object during state_read(). object: host-owned, valid during the call. Return non-zero to
 * get the next one, zero to stop. */
typedef int (*vigil_state_object_fn)(void* user_data, const vigil_state_object* object);

/* (1.1) Receives one page of a Graph response, as received (JSON). page_json: host-owned, valid during the call.
 * Return non-zero to get the next page, zero to stop paging. */
typedef int (*vigil_graph_page_fn)(void* user_data, vigil_str page_json);

/* ---------------------------------------------------------------------------------------------------------------
 * Host services. One table for the whole host; every function takes the context the host handed to create().
 * --------------------------------------------------------------------------------------------------------------- */

/* Opaque, host-owned; valid from create() until destroy() returns. */
typedef struct vigil_host_ctx vigil_host_ctx;

typedef struct vigil_host {
    uint32_t struct_size;
    uint32_t abi_major;
    uint32_t abi_minor;

    /* Writes one line to the agent's log, tagged with the plugin and job. message: borrowed. Never log secrets. */
    void (*log)(vigil_host_ctx* ctx, vigil_log_level level, const char* message);

    /* Milliseconds since the Unix epoch, UTC, from the host's clock (tests may move it). */
    int64_t (*now_ms)(vigil_host_ctx* ctx);

    /* Non-zero when the host is stopping: finish the page in hand, commit, and return. */
    int (*is_cancelled)(vigil_host_ctx* ctx);

    /* Reads a secret of the source's credential into a plugin-owned buffer ("client_id", "client_secret",
     * "certificate_file", "private_key_file"). *out_size receives the length without the NUL. Returns
     * VIGIL_ERR_BUFFER_TOO_SMALL (with *out_size set) when capacity is short, VIGIL_ERR_NOT_FOUND when absent.
     * The plugin should wipe the buffer once done with it. */
    vigil_status (*read_secret)(vigil_host_ctx* ctx, const char* name, char* buffer, size_t capacity, size_t* out_size);

    /* Connector only. Appends one event to the pending batch. The host copies everything before returning.
     * Pending events become durable only through commit(). */
    vigil_status (*emit)(vigil_host_ctx* ctx, const vigil_event* event);

    /* Connector only. Runs the hooks over the pending events and hands them to the host's spool together with
     * `checkpoint`: they become durable together, never one without the other, so after a crash the connector
     * resumes from a checkpoint whose events are all stored. Events whose id (and time) the source already
     * delivered are dropped here, so re-reading an overlapping window is safe. To keep collection fast the host
     * writes in groups: commit() returns once the batch is queued, the next commit() or checkpoint() already see
     * it, and the run counts as successful only when all its commits are on disk (the host waits for that after
     * run() returns). checkpoint: borrowed bytes (any encoding the plugin chooses); empty keeps the previous one.
     * Returns non-OK when the batch, or an earlier one of this run, could not be stored; the plugin should then
     * return that status, and the next run starts from the last stored checkpoint. */
    vigil_status (*commit)(vigil_host_ctx* ctx, vigil_str checkpoint);

    /* The checkpoint of this job's last commit (at the start of a run: the last stored one). *out: host-owned,
     * valid until the next commit() or until the current call into the plugin returns; {NULL,0} when the job has
     * never committed. */
    vigil_status (*checkpoint)(vigil_host_ctx* ctx, vigil_str* out);

    /* Configuration accessors, valid only during create() on the config it received. Keys must be declared in the
     * plugin's schema; the host has validated types and applied defaults. Returned strings are host-owned and valid
     * until create() returns. */
    int (*config_bool)(const vigil_config* config, const char* key);
    int64_t (*config_int)(const vigil_config* config, const char* key);        /* INT, or DURATION in milliseconds */
    const char* (*config_string)(const vigil_config* config, const char* key); /* STRING or PATH; "" when unset */
    size_t (*config_list_size)(const vigil_config* config, const char* key);
    const char* (*config_list_item)(const vigil_config* config, const char* key, size_t index);

    /* Output only, during open() or write(). Records an opaque token that lets the output resume exactly where its
     * last successful write() ended (a file offset, say). The host stores it atomically with the output's cursor
     * after write() returns VIGIL_OK (or open() returns), and hands it back to open() after a restart or a failed
     * write(). token: borrowed. */
    vigil_status (*set_resume_token)(vigil_host_ctx* ctx, vigil_str token);

    /* ---- ABI 1.1. A plugin built against 1.1 checks host->struct_size before calling what follows. ---- */

    /* Connector only. GETs Microsoft Graph as the source's application: path_or_url is a path on the source's Graph
     * host ("/v1.0/auditLogs/directoryAudits?$filter=...") or an absolute URL on that host (a stored deltaLink).
     * The host authenticates (and refreshes tokens), keeps the tenant+application under Graph's request limits,
     * honours Retry-After, retries transient failures with backoff, and follows @odata.nextLink, handing each page
     * to on_page as it arrives. path_or_url and user_data: borrowed. Returns VIGIL_OK when every page was handed
     * over (or on_page stopped), VIGIL_ERR_CANCELLED when the host is stopping, VIGIL_ERR_DENIED for what a person
     * must fix (credentials, permissions), VIGIL_ERR_UNAVAILABLE when retries were spent or a licence is missing
     * (try again at the next run), VIGIL_ERR_EXPIRED when a nextLink or deltaLink expired mid-listing (pages
     * already handed over stand; restart the time window, or sync in full); error receives one line naming the
     * tenant and what to do. */
    vigil_status (*graph_get)(vigil_host_ctx* ctx, const char* path_or_url, vigil_graph_page_fn on_page,
                              void* user_data, char* error, size_t error_capacity);

    /* ---- ABI 1.2: the state store, for connectors that record what a directory looks like over time. A plugin
     * built against 1.2 checks host->struct_size before calling these. Connector only, during run(). ----
     *
     * The host keeps one history per source: each object's versions with the snapshots they were current in, so
     * the state at any snapshot can be read back without a full copy per snapshot. A run opens a snapshot, stages
     * what it read, and finishes it; the host then turns every difference from the previous snapshot into events
     * (Added, Removed, or Modified with [{name, old, new}] details, one per property) and stores them with the
     * job's checkpoint. The first snapshot of a source is its baseline and makes no events. A run that returns
     * before state_finish() leaves the store as it was. */

    /* Opens a snapshot. snapshot: borrowed. */
    vigil_status (*state_begin)(vigil_host_ctx* ctx, const vigil_state_snapshot* snapshot);
    /* Stages the current state of one object, new, changed or not. Putting an object twice keeps the last. */
    vigil_status (*state_put)(vigil_host_ctx* ctx, const vigil_state_object* object);
    /* Stages the removal of one object (a delta's @removed). Unknown objects are ignored. */
    vigil_status (*state_remove)(vigil_host_ctx* ctx, vigil_str kind, vigil_str id);
    /* Says that every object of kind was put in this snapshot: those that were not are removed. A kind that could
     * not be read (a missing permission) is simply not completed, and keeps its objects. */
    vigil_status (*state_complete_kind)(vigil_host_ctx* ctx, vigil_str kind);
    /* Makes the snapshot durable together with the plugin's sync cursor (its deltaLinks, say; opaque, borrowed),
     * and its events with the job's checkpoint. */
    vigil_status (*state_finish)(vigil_host_ctx* ctx, vigil_str cursor);
    /* The cursor of the source's last finished snapshot; {NULL,0} before the first. *out: host-owned, valid until
     * the current call into the plugin returns. */
    vigil_status (*state_cursor)(vigil_host_ctx* ctx, vigil_str* out);
    /* Hands each object of kind as of the last finished snapshot to fn (for a delta sync to start from). */
    vigil_status (*state_read)(vigil_host_ctx* ctx, vigil_str kind, vigil_state_object_fn fn, void* user_data);
} vigil_host;

/* ---------------------------------------------------------------------------------------------------------------
 * The plugin descriptor.
 * --------------------------------------------------------------------------------------------------------------- */

typedef struct vigil_plugin_descriptor {
    uint32_t struct_size;
    uint32_t abi_major; /* must equal the host's VIGIL_ABI_MAJOR */
    uint32_t abi_minor; /* the minor the plugin was built against; the host supports every minor up to its own */
    vigil_plugin_kind kind;
    const char* name;        /* plugin-owned, static: [a-z][a-z0-9_]*, the YAML key (connector) or type (output) */
    const char* version;     /* plugin-owned, static: the plugin's own version, e.g. "1.2.0" */
    const char* description; /* plugin-owned, static: one line */

    /* plugin-owned, static: NULL-terminated array of pointers to the keys the plugin accepts. */
    const vigil_config_key* const* config_keys;

    /* Creates an instance from a validated configuration. host and ctx stay valid until destroy() returns.
     * Refuse here what the schema cannot express: write a one-line reason into error (capacity error_capacity,
     * NUL-terminated) and return non-OK; `vigil validate` reports it at the plugin's place in the YAML. create()
     * must not do I/O or start threads: validate creates and destroys instances without running them. */
    vigil_status (*create)(const vigil_host* host, vigil_host_ctx* ctx, const vigil_config* config, void** out_instance,
                           char* error, size_t error_capacity);
    void (*destroy)(void* instance);

    /* Connector: one collection run. Emits and commits as it goes; returns VIGIL_OK when the run finished (events
     * emitted but not committed are then committed with an unchanged checkpoint). Any other status discards
     * uncommitted events; the host retries the job later with backoff. error as in create(). */
    vigil_status (*run)(void* instance, char* error, size_t error_capacity);

    /* Output: called before the first write() and again after a failed one, with the token last saved (empty the
     * very first time): truncate or seek so that records after it are written exactly once. open() may itself call
     * set_resume_token() with the position it starts from; the host saves that before the first write(). */
    vigil_status (*open)(void* instance, vigil_str resume_token, char* error, size_t error_capacity);

    /* Output: delivers records in sequence order. Returns VIGIL_OK only when they are durably delivered; on any
     * other status the host retries the same records (from the same resume token) later. records: host-owned
     * array of count pointers, valid during the call. */
    vigil_status (*write)(void* instance, const vigil_record* const* records, size_t count, char* error,
                          size_t error_capacity);

    /* ---- ABI 1.1. The host reads what follows only when struct_size covers it. ---- */

    /* Connector: the Graph requests `vigil doctor` makes to check that a source can serve this connector, each a
     * cheap GET path ("/v1.0/auditLogs/directoryAudits?$top=1"). plugin-owned, static, NULL-terminated; NULL: none. */
    const char* const* graph_probes;
} vigil_plugin_descriptor;

/* The one symbol a plugin library exports. Returns a pointer to a static descriptor (plugin-owned, never freed). */
typedef const vigil_plugin_descriptor* (*vigil_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* VIGIL_PLUGIN_H */
