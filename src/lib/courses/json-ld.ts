/** schema.org Course with one CourseInstance per scheduled session. */
import type { CourseView, SessionView } from './queries';

const MODES: Record<string, string> = { online: 'online', in_person: 'onsite', blended: 'blended' };

export function courseJsonLd(course: CourseView & { sessions: SessionView[] }, origin: string) {
  const org = (p: CourseView['providers'][number]) => ({ '@type': 'Organization', name: p.name, ...(p.nameZh ? { alternateName: p.nameZh } : {}), url: `${origin}/organizations/${p.slug}` });
  const lead = course.providers.find((p) => p.role === 'lead');
  return {
    '@context': 'https://schema.org',
    '@type': 'Course',
    '@id': `${origin}/courses/${course.id}`,
    url: `${origin}/courses/${course.id}`,
    name: course.title,
    ...(course.titleZh ? { alternateName: course.titleZh } : {}),
    description: course.summary,
    inLanguage: course.languages.map((l) => (l === 'zh-cn' ? 'zh-CN' : l)),
    educationalLevel: course.level,
    ...(course.prerequisites ? { coursePrerequisites: course.prerequisites } : {}),
    keywords: course.tags.join(', '),
    ...(lead ? { provider: org(lead) } : {}),
    contributor: course.providers.filter((p) => p.role === 'partner').map(org),
    offers: { '@type': 'Offer', category: course.priceCny === 0 ? 'Free' : 'Paid', price: course.priceCny, priceCurrency: 'CNY' },
    hasCourseInstance: course.sessions
      .filter((s) => s.status === 'scheduled')
      .map((s) => ({
        '@type': 'CourseInstance',
        courseMode: MODES[course.mode],
        startDate: s.startsAt,
        endDate: s.endsAt,
        ...(s.location ? { location: { '@type': 'Place', name: s.location } } : {}),
        maximumAttendeeCapacity: s.capacity,
        remainingAttendeeCapacity: s.seatsLeft,
      })),
  };
}
