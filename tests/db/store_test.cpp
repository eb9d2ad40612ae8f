#include <gtest/gtest.h>

#include "base/clock.h"
#include "db/migrations.h"
#include "db/sqlite.h"
#include "db/sqlite_store.h"
#include "tests/db/store_test_util.h"
#include "tests/support/temp_dir.h"

namespace sambat::db {
namespace {

using testing::MakeCursor;
using testing::MakeItem;

int64_t Count(Connection& conn, const std::string& sql) {
  auto st = conn.Prepare(sql);
  EXPECT_TRUE(st.ok());
  EXPECT_TRUE((*st)->Step()) << (*st)->status().ToString();
  int64_t n = (*st)->Int(0);
  (*st)->Reset();
  return n;
}

class StoreTest : public ::testing::Test {
 protected:
  std::string DbPath() { return dir_.File("sambatd.db"); }
  std::unique_ptr<SqliteStore> OpenStore() {
    auto s = SqliteStore::Open(DbPath(), &clock_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }
  sambat::testing::TempDir dir_;
  FakeClock clock_{FromUnixMillis(1'764'000'000'000)};
};

TEST_F(StoreTest, MigratesAnEmptyDatabaseToTheLatestVersion) {
  auto conn = Connection::Open(DbPath());
  ASSERT_TRUE(conn.ok());
  ASSERT_EQ(*SchemaVersion(&*conn), 0);
  ASSERT_TRUE(Migrate(&*conn).ok());
  EXPECT_EQ(*SchemaVersion(&*conn), LatestSchemaVersion());
  for (const char* table : {"posts", "classifications", "drafts", "cursors", "audit_log", "outbox",
                            "users", "sessions", "api_tokens", "disposition_steps"}) {
    EXPECT_EQ(Count(*conn, std::string("SELECT count(*) FROM sqlite_master WHERE name = '") + table + "'"), 1)
        << table;
  }
}

TEST_F(StoreTest, RowChecksAreComparisonsAndStillRefuseBadValues) {
  // Migration v9 rewrote the CHECKs in place (IN built a temporary b-tree per row).
  auto store = OpenStore();
  auto conn = Connection::Open(DbPath());
  ASSERT_TRUE(conn.ok());
  EXPECT_EQ(Count(*conn, "SELECT count(*) FROM sqlite_schema WHERE name IN ('posts', 'drafts') AND"
                         " (sql LIKE '%platform IN (%' OR sql LIKE '%kind IN (%' OR sql LIKE '%status IN (%')"),
            0);
  EXPECT_EQ(Count(*conn, "SELECT count(*) FROM sqlite_schema WHERE name = 'posts' AND sql LIKE"
                         " '%CHECK (platform = ''x'' OR platform = ''facebook''%'"),
            1);
  auto check = conn->Prepare("PRAGMA integrity_check");
  ASSERT_TRUE((*check)->Step());
  EXPECT_EQ((*check)->Text(0), "ok");
  (*check)->Reset();
  IngestItem bad_kind = MakeItem("1", true);
  bad_kind.post.kind = "story";
  EXPECT_FALSE(store->Ingest({.items = {bad_kind}, .cursor = {}}).ok());
  EXPECT_FALSE(conn->Exec("INSERT INTO posts (platform, platform_id, text, fetched_at) VALUES ('tiktok', '1', 't', 1)").ok());
  ASSERT_TRUE(conn->Exec("INSERT INTO posts (platform, platform_id, text, fetched_at) VALUES ('x', '1', 't', 1)").ok());
  EXPECT_FALSE(conn->Exec("INSERT INTO drafts (post_id, pesan, kanal, status, created_at, sla_due_at, updated_at)"
                          " VALUES (last_insert_rowid(), 'p', 'x', 'lost', 1, 2, 1)").ok());
  EXPECT_TRUE(conn->Exec("INSERT INTO drafts (post_id, pesan, kanal, status, created_at, sla_due_at, updated_at)"
                         " VALUES (last_insert_rowid(), 'p', 'x', 'pending', 1, 2, 1)").ok());
}

TEST_F(StoreTest, DraftsAnOlderDaemonStoredWithoutIndexingAreIndexedAtOpen) {
  // During an upgrade a sambatd from before v8 may still insert drafts after a newer command
  // migrated the file; it relied on the dropped trigger.
  { ASSERT_NE(OpenStore(), nullptr); }
  {
    auto conn = Connection::Open(DbPath());
    ASSERT_TRUE(conn->Exec("INSERT INTO posts (platform, platform_id, text, fetched_at) VALUES ('x', 'o', 't', 1);"
                           "INSERT INTO drafts (post_id, pesan, kanal, created_at, sla_due_at, updated_at)"
                           " VALUES (last_insert_rowid(), 'lampu jalan mati', 'x', 1, 2, 1)")
                    .ok());
  }
  auto store = OpenStore();
  auto conn = Connection::Open(DbPath());
  EXPECT_EQ(Count(*conn, "SELECT count(*) FROM drafts_fts WHERE drafts_fts MATCH 'lampu'"), 1);
  store.reset();
  store = OpenStore();  // nothing missed the second time: nothing indexed twice
  EXPECT_TRUE(conn->Exec("INSERT INTO drafts_fts (drafts_fts, rank) VALUES ('integrity-check', 1)").ok());
  EXPECT_EQ(Count(*conn, "SELECT count(*) FROM drafts_fts_docsize"), 1);
}

TEST_F(StoreTest, TheMigratingConnectionItselfUsesTheRewrittenChecks) {
  // The daemon ingests through the connection that migrated: it must not keep the old
  // CHECK ... IN it parsed before v9 (visible in the program as an OpenEphemeral per row).
  auto conn = Connection::Open(DbPath());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(Migrate(&*conn).ok());
  for (const char* insert : {"INSERT INTO posts (platform, kind, platform_id, text, fetched_at) VALUES ('x', 'post', '1', 't', 1)",
                             "INSERT INTO drafts (post_id, pesan, kanal, status, created_at, sla_due_at, updated_at)"
                             " VALUES (1, 'p', 'x', 'pending', 1, 2, 1)"}) {
    auto st = conn->Prepare(std::string("EXPLAIN ") + insert);
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    int ephemeral = 0;
    while ((*st)->Step()) ephemeral += (*st)->Text(1) == "OpenEphemeral";
    (*st)->Reset();
    EXPECT_EQ(ephemeral, 0) << insert;
  }
}

TEST_F(StoreTest, AVersion7DatabaseWithDraftsMigratesKeepingThemSearchable) {
  // A database from before v8/v9 (FTS trigger, CHECK ... IN), with data, opened by this binary.
  {
    auto conn = Connection::Open(DbPath());
    ASSERT_TRUE(conn.ok());
    for (int v = 0; v < 7; ++v) ASSERT_TRUE(conn->Exec(Migrations()[v]).ok()) << v;
    ASSERT_TRUE(conn->Exec("PRAGMA user_version=7").ok());
    ASSERT_TRUE(conn->Exec("INSERT INTO posts (platform, platform_id, text, fetched_at) VALUES ('x', 'old', 't', 1);"
                           "INSERT INTO drafts (post_id, pesan, kanal, created_at, sla_due_at, updated_at)"
                           " VALUES (last_insert_rowid(), 'sampah menumpuk di pasar', 'x', 1, 2, 1)")
                    .ok());
  }
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Ingest({.items = {MakeItem("new", true)}, .cursor = {}}).ok());
  auto conn = Connection::Open(DbPath());
  EXPECT_EQ(*SchemaVersion(&*conn), LatestSchemaVersion());
  EXPECT_EQ(Count(*conn, "SELECT count(*) FROM drafts_fts WHERE drafts_fts MATCH 'sampah'"), 1);  // indexed by v7's trigger
  EXPECT_EQ(Count(*conn, "SELECT count(*) FROM drafts_fts WHERE drafts_fts MATCH 'pasar'"), 2);   // and by the batch
  EXPECT_EQ(Count(*conn, "SELECT count(*) FROM sqlite_schema WHERE name = 'drafts_fts_insert'"), 0);
  EXPECT_TRUE(conn->Exec("INSERT INTO drafts_fts (drafts_fts, rank) VALUES ('integrity-check', 1)").ok());
  auto check = conn->Prepare("PRAGMA integrity_check");
  ASSERT_TRUE((*check)->Step());
  EXPECT_EQ((*check)->Text(0), "ok");
  (*check)->Reset();
}

TEST_F(StoreTest, OpensInWalModeWithForeignKeys) {
  auto conn = Connection::Open(DbPath());
  ASSERT_TRUE(conn.ok());
  auto st = conn->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE((*st)->Step());
  EXPECT_EQ((*st)->Text(0), "wal");
  (*st)->Reset();
  EXPECT_EQ(Count(*conn, "PRAGMA foreign_keys"), 1);
}

TEST_F(StoreTest, ReopeningAnExistingDatabaseKeepsItsData) {
  {
    auto store = OpenStore();
    ASSERT_TRUE(store->Ingest({.items = {MakeItem("1", true)}, .cursor = MakeCursor("1")}).ok());
  }
  auto store = OpenStore();  // migrations run again: nothing to do, nothing lost
  EXPECT_EQ(*store->CountPosts(), 1);
  EXPECT_EQ(*store->CountDrafts("pending"), 1);
}

TEST_F(StoreTest, RefusesADatabaseNewerThanTheBinary) {
  {
    auto conn = Connection::Open(DbPath());
    ASSERT_TRUE(conn->Exec("PRAGMA user_version=" + std::to_string(LatestSchemaVersion() + 1)).ok());
  }
  auto s = SqliteStore::Open(DbPath(), &clock_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.status().message().find("newer"), std::string::npos);
}

TEST_F(StoreTest, RefusesAFileThatIsNotADatabase) {
  dir_.Write("sambatd.db", std::string(4096, 'x'));
  EXPECT_FALSE(SqliteStore::Open(DbPath(), &clock_).ok());
}

TEST_F(StoreTest, IngestStoresPostsClassificationsDraftsAndCursorTogether) {
  auto store = OpenStore();
  IngestBatch batch{.items = {MakeItem("100", true), MakeItem("101", false)}, .cursor = MakeCursor("101")};
  auto stats = store->Ingest(batch);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->posts_inserted, 2);
  EXPECT_EQ(stats->drafts_created, 1);
  EXPECT_EQ(*store->CountPosts(), 2);
  EXPECT_EQ(*store->CountDrafts(""), 1);
  auto cursor = store->GetCursor("x", "mentions");
  ASSERT_TRUE(cursor.ok());
  ASSERT_TRUE(cursor->has_value());
  EXPECT_EQ((*cursor)->cursor, "101");
}

TEST_F(StoreTest, IngestingTheSameBatchAgainChangesNothing) {
  auto store = OpenStore();
  IngestBatch batch{.items = {MakeItem("100", true), MakeItem("101", false)}, .cursor = MakeCursor("101")};
  ASSERT_TRUE(store->Ingest(batch).ok());
  auto again = store->Ingest(batch);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->posts_inserted, 0);
  EXPECT_EQ(again->posts_already_known, 2);
  EXPECT_EQ(again->drafts_created, 0);
  EXPECT_EQ(*store->CountPosts(), 2);
  EXPECT_EQ(*store->CountDrafts(""), 1);
}

TEST_F(StoreTest, AFailingItemRollsBackTheWholeBatchAndTheCursor) {
  auto store = OpenStore();
  ASSERT_TRUE(store->Ingest({.items = {MakeItem("1", true)}, .cursor = MakeCursor("1")}).ok());
  IngestItem bad = MakeItem("3", false);
  bad.post.platform = "myspace";  // violates the CHECK constraint
  auto r = store->Ingest({.items = {MakeItem("2", true), bad}, .cursor = MakeCursor("3")});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(*store->CountPosts(), 1);
  EXPECT_EQ(*store->CountDrafts(""), 1);
  EXPECT_EQ((*store->GetCursor("x", "mentions"))->cursor, "1");
}

TEST_F(StoreTest, EveryNewDraftIsSearchableWhetherIngestedOrEnteredByHand) {
  // Drafts are indexed once per batch, not by a trigger (migration v8): every path that
  // inserts drafts must index them, and a rolled-back batch must leave no index rows behind.
  auto store = OpenStore();
  ASSERT_TRUE(store->Ingest({.items = {MakeItem("1", true), MakeItem("2", false), MakeItem("3", true)}, .cursor = {}}).ok());
  ASSERT_TRUE(store->Ingest({.items = {MakeItem("4", true)}, .cursor = {}}).ok());
  IngestItem failing = MakeItem("6", true);
  failing.post.platform = "tiktok";  // fails the platform CHECK, and with it the whole batch
  EXPECT_FALSE(store->Ingest({.items = {MakeItem("5", true), failing}, .cursor = {}}).ok());
  ManualEntry manual{.item = MakeItem("manual-1", true), .actor = "admin"};
  manual.item.post.platform = "manual";
  manual.item.draft->pesan = "lampu penerangan jalan mati di desa sampang";
  manual.item.draft->kecamatan = "Sampang";
  ASSERT_TRUE(store->CreateManualDraft(manual).ok());

  auto conn = Connection::Open(DbPath());
  ASSERT_TRUE(conn.ok());
  const int64_t drafts = Count(*conn, "SELECT count(*) FROM drafts");
  EXPECT_EQ(Count(*conn, "SELECT count(*) FROM drafts_fts WHERE drafts_fts MATCH 'pasar'"), drafts - 1);
  EXPECT_EQ(Count(*conn, "SELECT count(*) FROM drafts_fts WHERE drafts_fts MATCH 'penerangan'"), 1);
  // The index and its table agree row for row.
  EXPECT_TRUE(conn->Exec("INSERT INTO drafts_fts (drafts_fts, rank) VALUES ('integrity-check', 1)").ok());
}

TEST_F(StoreTest, UnknownCursorIsEmpty) {
  auto store = OpenStore();
  auto c = store->GetCursor("facebook", "tagged");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->has_value());
}

TEST_F(StoreTest, AuditLogIsAppendOnly) {
  auto store = OpenStore();
  ASSERT_TRUE(store->AppendAudit({.actor = "admin", .action = "confirm", .entity = "draft", .entity_id = "1"}).ok());
  auto conn = Connection::Open(DbPath());
  EXPECT_EQ(Count(*conn, "SELECT count(*) FROM audit_log"), 1);
  EXPECT_FALSE(conn->Exec("UPDATE audit_log SET actor = 'someone else'").ok());
  EXPECT_FALSE(conn->Exec("DELETE FROM audit_log").ok());
  EXPECT_EQ(Count(*conn, "SELECT count(*) FROM audit_log WHERE actor = 'admin'"), 1);
}

TEST_F(StoreTest, TransactionRollsBackUnlessCommitted) {
  auto conn = Connection::Open(DbPath());
  ASSERT_TRUE(conn->Exec("CREATE TABLE t (x)").ok());
  {
    Transaction tx(&*conn);
    ASSERT_TRUE(tx.Begin().ok());
    ASSERT_TRUE(conn->Exec("INSERT INTO t VALUES (1)").ok());
  }
  EXPECT_EQ(Count(*conn, "SELECT count(*) FROM t"), 0);
  {
    Transaction tx(&*conn);
    ASSERT_TRUE(tx.Begin().ok());
    ASSERT_TRUE(conn->Exec("INSERT INTO t VALUES (1)").ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  EXPECT_EQ(Count(*conn, "SELECT count(*) FROM t"), 1);
}

TEST_F(StoreTest, PreparedStatementsAreReused) {
  auto conn = Connection::Open(DbPath());
  auto a = conn->Prepare("SELECT 1");
  auto b = conn->Prepare("SELECT 1");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
}

}  // namespace
}  // namespace sambat::db
