using SiemAi.Host;
using SiemAi.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddSecretFiles();
SecretSettings.EnsureStrong(builder.Configuration);
var roles = HostRoles.Parse(builder.Configuration["roles"] ?? builder.Configuration["SIEMAI_ROLES"]);
builder.AddSiemAi(roles);

var app = builder.Build();
await app.MigrateDatabaseAsync();
app.MapSiemAi(roles);
await app.RunAsync();
