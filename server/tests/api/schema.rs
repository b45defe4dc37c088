use crate::helpers::spawn_app;
use migrations::{Migrator, MigratorTrait};

/// Every migration can be undone and redone on both databases, so a bad deploy can roll back.
#[tokio::test]
async fn migrations_run_down_and_up_again() {
    let app = spawn_app().await;
    let applied = Migrator::get_applied_migrations(&app.db).await.unwrap().len();
    assert_eq!(applied, Migrator::migrations().len());
    Migrator::down(&app.db, None).await.unwrap();
    assert!(Migrator::get_applied_migrations(&app.db).await.unwrap().is_empty());
    Migrator::up(&app.db, None).await.unwrap();
    assert_eq!(Migrator::get_applied_migrations(&app.db).await.unwrap().len(), applied);
    assert_eq!(app.get("/healthz").await.status(), 200);
}
