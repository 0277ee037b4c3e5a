# syntax=docker/dockerfile:1
# One image for every role (SIEMAI_ROLES picks them per container). Not built on the build machines
# (no Docker engine there); see docs/deployment.md.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/SiemAi.Host -c Release -o /out/host \
 && dotnet publish src/SiemAi.Cli -c Release -o /out/cli

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# ansible-core for the runner role (check runs) and the gate's syntax check, bubblewrap to run both in a sandbox
# (docs/sandbox.md), curl for the health check, jq/postgresql-client for backups.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ansible-core python3 bubblewrap openssh-client curl jq postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/siemai --create-home siemai
WORKDIR /app
COPY --from=build /out/host /app
COPY --from=build /out/cli /app/cli
COPY playbooks /app/playbooks
COPY infra/backup /app/infra/backup
RUN mkdir -p /app/playbooks/_library /var/lib/siemai/runs /var/lib/siemai/output \
 && chown -R siemai:siemai /app/playbooks/_library /var/lib/siemai
ENV BIND_ADDRESS=0.0.0.0 \
    WEBHOOK_PORT=5000 \
    HEALTH_PORT=5000 \
    REVIEW_UI_PORT=8088 \
    SYSLOG_UDP_PORT=5514 \
    SYSLOG_TCP_PORT=5514 \
    RUNNER_WORK_ROOT=/var/lib/siemai/runs \
    RUNNER_OUTPUT_PATH=/var/lib/siemai/output \
    SIEMAI_CLI="dotnet /app/cli/siemai.dll" \
    DOTNET_gcServer=0
USER 10001:10001
EXPOSE 5000 8088 5514/udp 5514/tcp
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${HEALTH_PORT}/health/live" || exit 1
ENTRYPOINT ["dotnet", "/app/SiemAi.Host.dll"]
