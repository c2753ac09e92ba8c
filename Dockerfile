# Baton operator image.
#
#   docker build -t baton-operator:0.1.0 .
#
# The tag is the Maven project version, which is also the Helm chart's appVersion (the chart's
# default image is baton-operator:<appVersion>; set image.registry/repository to where you push).

# The base images: public ones by default. hack/image.sh, which builds without a Docker engine or
# registry, passes images it assembled from Debian packages instead (--build-arg).
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre

# --- build: compile and package with Maven (dependencies cached in their own layer) ---
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY pom.xml ./
COPY api/pom.xml api/
COPY operator/pom.xml operator/
# The root pom lists every module, and Maven refuses a listed module without its pom, even with -pl.
COPY cli/pom.xml cli/
COPY crd-tools/pom.xml crd-tools/
# -Dbaton.skipCrd: the image needs no CRD (crds/ and the chart carry it), and its finishing step
# reads the Kubernetes OpenAPI through Go, which this stage has not.
RUN mvn -B -q -pl operator -am -Dbaton.skipCrd dependency:go-offline
COPY api api
COPY operator operator
# package also writes the test-jar the plugin's tests use: keep only the operator's jar.
RUN mvn -B -q -pl operator -am package -Dbaton.skipCrd -DskipTests -DskipITs \
    && mv "$(ls operator/target/baton-operator-*.jar | grep -v -- '-tests\.jar$')" \
      operator/target/baton-operator.jar

# --- run: a JRE only, as a non-root user; the entrypoint needs no shell ---
# A Java 25 runtime runs the Java 17 bytecode and shrinks the informer caches' heap with compact
# object headers.
FROM ${RUNTIME_IMAGE}
WORKDIR /app
COPY --from=build /src/operator/target/lib/ /app/lib/
COPY --from=build /src/operator/target/baton-operator.jar /app/baton-operator.jar
# Class-data sharing for a faster start: a training start at build time (no cluster to reach: it
# loads the client, model and SDK classes, fails to connect and is stopped) archives the classes it
# loaded; every start then maps them instead of parsing and verifying them again. Best-effort: with
# no archive the JVM warns and starts as before. The flags that shape the archive match the
# ENTRYPOINT's and the chart's.
RUN timeout -s TERM 60 java -XX:+UseCompactObjectHeaders -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      -XX:ArchiveClassesAtExit=/app/baton.jsa -jar /app/baton-operator.jar >/dev/null 2>&1; \
    chmod a+r /app/baton.jsa 2>/dev/null || true
# Two malloc arenas, not one per thread: the resident memory the chart's limit is sized for.
ENV MALLOC_ARENA_MAX=2
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["java", "-XX:+UseCompactObjectHeaders", "-XX:SharedArchiveFile=/app/baton.jsa", "-jar", "/app/baton-operator.jar"]
