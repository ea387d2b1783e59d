#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vigil::sqlite {

// A failed SQLite call, with the database file and SQLite's own message.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Statement;

// One connection. Not thread-safe: each thread that needs the database opens its own.
class Database {
public:
    Database(const std::string& path, bool read_only);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(const char* sql);
    sqlite3* handle() const { return db_; }
    const std::string& path() const { return path_; }
    [[noreturn]] void fail(const char* what) const;

private:
    sqlite3* db_ = nullptr;
    std::string path_;
};

// A prepared statement, reset and cleared after each use so it can be reused on the hot path.
class Statement {
public:
    Statement(Database& db, const char* sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Binds text without copying: the caller keeps it alive until step() returns.
    void bind(int index, std::string_view text);
    void bind(int index, int64_t value);
    void bind_blob(int index, std::string_view bytes);
    void bind_null(int index);

    bool step();  // true: a row is ready; false: done
    void reset();
    void run() {  // step to completion and reset
        while (step()) {
        }
        reset();
    }

    int64_t column_int(int index) const { return sqlite3_column_int64(stmt_, index); }
    std::string_view column_text(int index) const;
    std::string_view column_blob(int index) const;
    bool column_is_null(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }

private:
    Database& db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back when left without commit() (an exception on the way).
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    bool open_ = true;
};

}  // namespace vigil::sqlite
