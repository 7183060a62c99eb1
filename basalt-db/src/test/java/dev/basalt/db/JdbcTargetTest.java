package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.BasaltException;
import org.junit.jupiter.api.Test;

/** {@code [database] connection} as operators write it (cinder.conf's SQLAlchemy URLs, or JDBC URLs) made a JDBC target. */
class JdbcTargetTest {

    @Test
    void mysqlUrlsBecomeMariadbOnesWithCredentialsApartAndCharsetDropped() {
        JdbcTarget target = JdbcTarget.parse("mysql+pymysql://cinder:s%40cret@db.example:3306/cinder?charset=utf8");
        assertThat(target.url()).isEqualTo("jdbc:mariadb://db.example:3306/cinder");
        assertThat(target.user()).isEqualTo("cinder");
        assertThat(target.password()).isEqualTo("s@cret");
        assertThat(target.shown()).isEqualTo("mysql+pymysql://cinder:***@db.example:3306/cinder?charset=utf8");
        assertThat(target).hasToString(target.shown());
    }

    @Test
    void postgresqlUrlsKeepWhatPgjdbcUnderstandsUnderItsOwnNames() {
        JdbcTarget target = JdbcTarget.parse("postgresql+psycopg2://basalt:pw@10.0.0.5/basalt"
                + "?client_encoding=utf8&sslmode=verify-full&sslrootcert=/etc/ssl/ca%20file.pem"
                + "&application_name=basalt&connect_timeout=7");
        assertThat(target.url()).isEqualTo("jdbc:postgresql://10.0.0.5/basalt?sslmode=verify-full"
                + "&sslrootcert=%2Fetc%2Fssl%2Fca+file.pem&ApplicationName=basalt&connectTimeout=7");
        assertThat(JdbcTarget.parse("postgres://u@h/db").url()).isEqualTo("jdbc:postgresql://h/db");
    }

    @Test
    void devstacksParametersAreDroppedAndConnectTimeoutIsMillisecondsForMariadb() {
        assertThat(JdbcTarget.parse("mysql+pymysql://root:pw@127.0.0.1/cinder?charset=utf8&plugin=dbcounter").url())
                .isEqualTo("jdbc:mariadb://127.0.0.1/cinder");
        assertThat(JdbcTarget.parse("mysql://root:pw@127.0.0.1/cinder?connect_timeout=3&use_unicode=1").url())
                .isEqualTo("jdbc:mariadb://127.0.0.1/cinder?connectTimeout=3000");
    }

    @Test
    void aParameterBasaltCannotHonourIsRefusedByNameWithThePasswordMasked() {
        assertThatThrownBy(() -> JdbcTarget.parse("mysql+pymysql://cinder:topsecret@db/cinder?ssl_ca=/ca.pem"))
                .isInstanceOf(BasaltException.class)
                .hasMessageStartingWith("[database] connection = mysql+pymysql://cinder:***@db/cinder?ssl_ca=/ca.pem:"
                        + " unsupported parameter 'ssl_ca'")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> JdbcTarget.parse("mysql://u:p@db/cinder?sslmode=require"))
                .hasMessageContaining("unsupported parameter 'sslmode'");
        assertThatThrownBy(() -> JdbcTarget.parse("postgresql://u:p@db/cinder?connect_timeout=soon"))
                .hasMessageContaining("connect_timeout must be whole seconds");
    }

    @Test
    void unknownSchemesAndJdbcUrlsOfOtherDatabasesAreRefused() {
        assertThatThrownBy(() -> JdbcTarget.parse("oracle://u:secret@db/x"))
                .hasMessage("[database] connection = oracle://u:***@db/x: unsupported database 'oracle'"
                        + " (use postgresql or mysql)");
        assertThatThrownBy(() -> JdbcTarget.parse("sqlite:///var/lib/cinder/cinder.sqlite"))
                .hasMessageContaining("SQLite is not supported");
        assertThatThrownBy(() -> JdbcTarget.parse("jdbc:oracle:thin:@db:1521/x"))
                .hasMessageStartingWith("[database] connection = jdbc:oracle:thin:@db:1521/x: unsupported JDBC URL");
        assertThatThrownBy(() -> JdbcTarget.parse("db.example/cinder")).hasMessageContaining("expected a JDBC URL");
    }

    @Test
    void jdbcUrlsPassAsTheyAreButTheirPasswordsAreNeverShown() {
        JdbcTarget target = JdbcTarget.parse("jdbc:postgresql://db/basalt?user=basalt&password=hunter2&ssl=true");
        assertThat(target.url()).isEqualTo("jdbc:postgresql://db/basalt?user=basalt&password=hunter2&ssl=true");
        assertThat(target.shown()).isEqualTo("jdbc:postgresql://db/basalt?user=basalt&password=***&ssl=true");
        assertThat(JdbcTarget.parse("jdbc:h2:file:/tmp/b;PASSWORD=x;MODE=MySQL").shown())
                .isEqualTo("jdbc:h2:file:/tmp/b;PASSWORD=***;MODE=MySQL");
        assertThat(JdbcTarget.parse("jdbc:h2:mem:x").isH2()).isTrue();
    }
}
