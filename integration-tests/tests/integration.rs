//! End-to-end tests: the real server over real gRPC, each case on SQLite and
//! on PostgreSQL. One binary, one module per feature (`cases/`), shared
//! fixtures in `cases/fixtures.rs`.

/// Runs each listed `async fn(Backend)` once per backend.
macro_rules! on_both_backends {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    super::$case(c360_integration_tests::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    super::$case(c360_integration_tests::Backend::Postgres).await;
                }
            )*
        }
    };
}

mod cases;
